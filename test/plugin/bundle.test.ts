// The plugin as the engine starts it, from the release's archives unpacked into temporary
// folders (no node_modules above them, NODE_PATH unset): it prints its port, serves
// schema.json over gRPC and, when its stdin closes (the engine is gone), exits instead of
// polling on, orphaned. The linux-amd64 binary runs with no Node.js at all: the only `node`
// on its PATH fails when called. The darwin archives' launcher runs the bundle with the
// Node.js on PATH (on Linux too: it is a shell script).
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { failingNode } from "../support/failing-node";
import { outsideDir, userEnv } from "../support/outside";
import { release } from "../support/release";

/** Starts the archive's executable, asks for its schema, closes its stdin; its exit code. */
async function serveSchema(executable: string, env: NodeJS.ProcessEnv): Promise<number | null> {
  // No engine listens there: nothing in this test needs one.
  const child = spawn(executable, ["127.0.0.1:9"], {
    cwd: path.dirname(executable),
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  try {
    const port = await Promise.race([
      new Promise<string>((resolve) =>
        child.stdout.once("data", (data: Buffer) => resolve(data.toString().trim())),
      ),
      exited.then((code) => assert.fail(`it exited ${code} before serving: ${stderr}`)),
    ]);
    assert.match(port, /^\d+$/);
    const client = new providerRpc.ResourceProviderClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
    const schema = await new Promise<string>((resolve, reject) =>
      client.getSchema(new providerPb.GetSchemaRequest(), (err, resp) =>
        err ? reject(err) : resolve(resp!.getSchema()),
      ),
    );
    client.close();
    assert.equal(schema, readFileSync(path.join(__dirname, "../../schema.json"), "utf8"));
    child.stdin.end();
    return await exited;
  } finally {
    child.kill();
  }
}

describe("the drs plugin archives", function () {
  // The first test may build the release (about a minute).
  this.timeout(300_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  function unpack(platform: string): string {
    const dir = outsideDir(`plugin-${platform}`);
    dirs.push(dir);
    execFileSync("tar", ["-xzf", release().pluginArchive(platform), "-C", dir]);
    return dir;
  }

  it("every platform's archive holds the executable at its root, LICENSE and README.md", () => {
    const want = {
      "linux-amd64": ["pulumi-resource-drs", "LICENSE", "LICENSE.node", "README.md"],
      "linux-arm64": ["pulumi-resource-drs", "LICENSE", "LICENSE.node", "README.md"],
      "windows-amd64": ["pulumi-resource-drs.exe", "LICENSE", "LICENSE.node", "README.md"],
      "darwin-amd64": ["pulumi-resource-drs", "pulumi-resource-drs.js", "LICENSE", "README.md"],
      "darwin-arm64": ["pulumi-resource-drs", "pulumi-resource-drs.js", "LICENSE", "README.md"],
    };
    for (const [platform, files] of Object.entries(want)) {
      const listed = execFileSync("tar", ["-tzf", release().pluginArchive(platform)], {
        encoding: "utf8",
      })
        .trim()
        .split("\n");
      for (const file of files) assert.ok(listed.includes(file), `${platform}: ${file}`);
    }
    const darwinReadme = execFileSync(
      "tar",
      ["-xOzf", release().pluginArchive("darwin-arm64"), "README.md"],
      { encoding: "utf8" },
    );
    assert.match(darwinReadme, /Node\.js 22 or newer is needed/);
  });

  it("linux-amd64: a self-contained binary serves the schema with no node on PATH, and exits when its stdin closes", async () => {
    const dir = unpack("linux-amd64");
    const executable = path.join(dir, "pulumi-resource-drs");
    // An ELF executable, not a script that would look for node.
    assert.equal(readFileSync(executable).subarray(0, 4).toString("latin1"), "\x7fELF");
    const node = failingNode();
    dirs.push(node.bin);
    const code = await serveSchema(executable, userEnv({ PATH: `${node.bin}:/usr/bin:/bin` }));
    assert.equal(code, 1);
    assert.equal(node.called(), false, "node was called");
  });

  it("linux-arm64 and windows-amd64 (not run here): executables of their platform, with the bundle injected", () => {
    const fuse = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1";
    const arm = readFileSync(path.join(unpack("linux-arm64"), "pulumi-resource-drs"));
    assert.equal(arm.subarray(0, 4).toString("latin1"), "\x7fELF");
    assert.equal(arm.readUInt16LE(18), 0xb7, "ELF machine: aarch64");
    assert.ok(arm.includes(fuse), "the SEA fuse is set");
    const win = readFileSync(path.join(unpack("windows-amd64"), "pulumi-resource-drs.exe"));
    const header = win.readUInt32LE(0x3c);
    assert.equal(win.toString("latin1", header, header + 4), "PE\0\0");
    assert.equal(win.readUInt16LE(header + 4), 0x8664, "PE machine: x64");
    assert.ok(win.includes(fuse), "the SEA fuse is set");
    // No Authenticode signature left behind, valid or not (the security directory is empty).
    assert.equal(win.readUInt32LE(header + 24 + 112 + 4 * 8 + 4), 0);
  });

  it("darwin: the launcher runs the bundle with Node.js from PATH", async () => {
    const dir = unpack("darwin-arm64");
    const code = await serveSchema(path.join(dir, "pulumi-resource-drs"), userEnv());
    assert.equal(code, 1);
  });
});
