// The package's own name, version and repository, read once from its package.json (which
// sits two levels above both src/util and dist/util). The `drs` plugin's bundle has no
// package.json beside it: its bundler defines __DRS_PACKAGE__ instead.
import { readFileSync } from "node:fs";
import path from "node:path";

interface Manifest {
  name: string;
  version: string;
  repository?: string | { url?: string };
}

declare const __DRS_PACKAGE__: Manifest | undefined;

const manifest: Manifest =
  typeof __DRS_PACKAGE__ === "object"
    ? __DRS_PACKAGE__
    : (JSON.parse(
        readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"),
      ) as Manifest);

export const PACKAGE_NAME: string = manifest.name;
export const PACKAGE_VERSION: string = manifest.version;

/**
 * The GitHub repository package.json's `repository` names: the one place the schema's
 * pluginDownloadURL, the SDKs' module paths and the README take it from.
 */
export const REPOSITORY: { owner: string; name: string } = (() => {
  const url =
    typeof manifest.repository === "string" ? manifest.repository : manifest.repository?.url;
  const match = /github\.com[/:]([^/]+)\/([^/]+?)(\.git)?$/.exec(url ?? "");
  if (!match) throw new Error(`package.json: repository ${url} is not a GitHub repository URL`);
  return { owner: match[1], name: match[2] };
})();
