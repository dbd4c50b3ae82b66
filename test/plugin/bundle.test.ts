// The bundled plugin as the engine starts it, from the archive's contents unpacked into a
// temporary folder (no node_modules above it, NODE_PATH unset): it prints its port, serves
// schema.json over gRPC and, when its stdin closes (the engine is gone), exits instead of
// polling on, orphaned.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { pluginArchive } from "../e2e/support/plugin-project";

describe("the bundled drs plugin", function () {
  this.timeout(120_000);

  it("serves schema.json, and exits when the engine closes its stdin", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "drs-plugin-bundle-"));
    execFileSync("tar", ["-xzf", pluginArchive(), "-C", dir]);
    const { NODE_PATH: _nodePath, ...env } = process.env;
    // No engine listens there: nothing in this test needs one.
    const child = spawn(path.join(dir, "pulumi-resource-drs"), ["127.0.0.1:9"], {
      cwd: dir,
      env,
      stdio: ["pipe", "pipe", "inherit"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      const port = await new Promise<string>((resolve) =>
        child.stdout.once("data", (data: Buffer) => resolve(data.toString().trim())),
      );
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
      assert.equal(await exited, 1);
    } finally {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
