// scripts/toolchain is the one entry point to Node 22+ and the Pulumi CLI (and, on request,
// the YAML and Python language hosts and Pulumi's own Node.js language host): its stdout must be only `export` lines, and evaluating
// them must give a usable node and pulumi.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

const repo = path.resolve(__dirname, "../..");
const script = path.join(repo, "scripts/toolchain");

describe("scripts/toolchain", function () {
  this.timeout(120_000);

  it("prints nothing but export lines on stdout", () => {
    const out = execFileSync(script, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const lines = out.trim().split("\n");
    assert.ok(lines.length >= 1);
    for (const line of lines) assert.match(line, /^export [A-Z_]+=/);
  });

  it("builds only node and pulumi unless asked; refuses an unknown --with", () => {
    const plain = execFileSync(script, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    assert.doesNotMatch(plain, /DRS_JOBS_PULUMI_HOST_BIN/);
    assert.throws(
      () => execFileSync(script, ["--with", "ruby"], { stdio: "pipe" }),
      (err: { status?: number; stderr?: Buffer }) =>
        err.status === 2 &&
        /--with ruby: one of yaml, python, nodejs-host/.test(String(err.stderr)),
    );
  });

  it("puts node 22+, the pinned (or an installed 3.200+) pulumi and, --with yaml, a YAML language host on PATH", () => {
    const pinned = /^PULUMI_VERSION=([0-9.]+)/m.exec(readFileSync(script, "utf8"))?.[1];
    assert.ok(pinned, "PULUMI_VERSION is set in scripts/toolchain");
    const out = execFileSync(
      "bash",
      [
        "-c",
        `eval "$(${script} --with yaml 2>/dev/null)"; node --version; pulumi version; command -v pulumi; command -v pulumi-language-yaml`,
      ],
      { encoding: "utf8", env: { ...process.env, PATH: "/usr/local/bin:/usr/bin:/bin" } },
    );
    const [nodeVersion, pulumiVersion, pulumiPath, yamlHost] = out.trim().split("\n");
    assert.match(
      yamlHost ?? "",
      /pulumi-language-yaml$/,
      "the YAML host, for the drs plugin's programs",
    );
    assert.ok(Number(/^v(\d+)/.exec(nodeVersion)?.[1]) >= 22, `node ${nodeVersion}`);
    if (pulumiPath.includes("pulumi-drs-jobs")) assert.equal(pulumiVersion, `v${pinned}`);
    else assert.ok(Number(/^v3\.(\d+)/.exec(pulumiVersion)?.[1]) >= 200, pulumiVersion);
  });

  it("--with nodejs-host names a directory with Pulumi's own Node.js language host beside the same CLI", () => {
    const out = execFileSync(
      "bash",
      [
        "-c",
        `eval "$(${script} --with nodejs-host 2>/dev/null)"; cd "$DRS_JOBS_PULUMI_HOST_BIN" && ` +
          "pulumi version && ./pulumi version && test ! -L pulumi && head -c 4 pulumi-language-nodejs",
      ],
      { encoding: "utf8", env: { ...process.env, PATH: "/usr/local/bin:/usr/bin:/bin" } },
    );
    const [onPath, beside, magic] = out.split("\n");
    assert.equal(beside, onPath, "the same CLI, not a symlink the engine would resolve away");
    assert.equal(magic, "\x7fELF", "the host is Pulumi's Go program, not our script");
  });
});
