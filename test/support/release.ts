// What a release ships, as `npm run release` makes it in dist-release/: built once per test
// run (by scripts/test before mocha starts, which names it in DRS_JOBS_RELEASE_DIR, or by the
// first test that asks) and shared by every test that installs what users install.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./outside";

export interface Release {
  dir: string;
  version: string;
  /** The path of a file of the release; fails when it is not there. */
  file(name: string): string;
  /** pulumi-resource-drs-v<version>-<platform>.tar.gz */
  pluginArchive(platform: string): string;
  /** The npm tarball (npm pack). */
  npmTarball: string;
  /** The Python SDK's wheel. */
  wheel: string;
}

let built: Release | undefined;

/** The release; builds it on first use (about a minute; mocha timeouts must allow for it). */
export function release(): Release {
  if (built) return built;
  const given = process.env.DRS_JOBS_RELEASE_DIR;
  const dir = given ? path.resolve(given) : path.join(REPO_ROOT, "dist-release");
  if (!given || !existsSync(path.join(dir, "SHA256SUMS"))) {
    execFileSync("npm", ["run", "--silent", "release"], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  const { name, version } = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
  const file = (fileName: string) => {
    const full = path.join(dir, fileName);
    if (!existsSync(full)) throw new Error(`the release has no ${fileName} (in ${dir})`);
    return full;
  };
  built = {
    dir,
    version,
    file,
    pluginArchive: (platform) => file(`pulumi-resource-drs-v${version}-${platform}.tar.gz`),
    npmTarball: file(`${name}-${version}.tgz`),
    wheel: file(`pulumi_drs-${version}-py3-none-any.whl`),
  };
  return built;
}
