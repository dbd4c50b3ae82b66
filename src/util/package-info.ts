// The package's own name and version, read once from its package.json (which sits two
// levels above both src/util and dist/util). The `drs` plugin's bundle has no package.json
// beside it: its bundler defines __DRS_PACKAGE__ instead.
import { readFileSync } from "node:fs";
import path from "node:path";

declare const __DRS_PACKAGE__: { name: string; version: string } | undefined;

const manifest =
  typeof __DRS_PACKAGE__ === "object"
    ? __DRS_PACKAGE__
    : (JSON.parse(readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as {
        name: string;
        version: string;
      });

export const PACKAGE_NAME: string = manifest.name;
export const PACKAGE_VERSION: string = manifest.version;
