// The simulator's modules import in one direction (routes -> call/auth -> state -> stores),
// so a store never loads a route. A cycle makes load order matter and ties unrelated files
// together; madge finds one in the import graph, type-only imports included.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const root = path.resolve(__dirname, "../..");

async function madge(...args: string[]): Promise<unknown> {
  const cli = require.resolve("madge/bin/cli.js");
  const run = promisify(execFile)(
    process.execPath,
    [cli, "--extensions", "ts", "--json", ...args, "src/sim"],
    { cwd: root },
  );
  // madge exits 1 when it finds a cycle, printing them all the same.
  const { stdout } = await run.catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? "" }));
  return JSON.parse(stdout);
}

describe("sim: import graph", () => {
  it("has no import cycle", async () => {
    const graph = (await madge()) as Record<string, string[]>;
    // Guards against a vacuous pass: madge read the TypeScript and saw the routes.
    assert.ok(graph["server.ts"]?.includes("routes/admin.ts"), "madge resolved server.ts");
    assert.ok(Object.keys(graph).length >= 25, "madge saw the simulator's files");
    assert.deepEqual(await madge("--circular"), [], "import cycles in src/sim");
  });
});
