// Exit codes the README promises and nothing else exercised: 70 for a bug in drs-jobs itself,
// and 4 for an endpoint that does not resolve or refuses connections. Loopback and .invalid
// names only: nothing here may reach a real remote address.
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import { EXIT } from "../../src/cli/exit";
import { drsJobs } from "../support/drs-jobs";

const MAIN = path.resolve(__dirname, "../../src/cli/main.ts");
const BUG = path.resolve(__dirname, "support/internal-bug.cjs");
const ENV = {
  PATH: process.env.PATH,
  HW_PROJECT_ID: "054ba152d480d55b2f5dc0069e7ddef0",
  HW_AUTH_TOKEN: "exit-codes-token-0123456789",
  HW_MAX_RETRIES: "1",
};

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("drs-jobs exit codes", function () {
  this.timeout(60_000);

  it("exits 70 for an internal error, with the stack and a request to report it", async () => {
    const child = spawn(
      process.execPath,
      ["--require", BUG, "--import", "tsx", MAIN, "status", "job-a"],
      { env: ENV, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.equal(code, EXIT.internal, stderr);
    assert.match(
      stderr,
      /^drs-jobs: internal error \(please report it\): TypeError: Cannot read properties of undefined \(reading 'jobs'\) \[planted by a test\]\n\s+at /,
    );
  });

  it("wait exits 4 when the endpoint does not resolve", async () => {
    const run = await drsJobs(["wait", "--timeout", "30s", "job-a"], {
      ...ENV,
      HW_DRS_ENDPOINT: "https://nonexistent.invalid",
    });
    assert.equal(run.code, EXIT.api, run.stderr);
    assert.match(run.stderr, /DRS batch-status request failed: (ENOTFOUND|EAI_AGAIN)/);
  });

  it("wait exits 4 when the endpoint refuses connections", async () => {
    const port = await closedPort();
    const run = await drsJobs(["wait", "--timeout", "30s", "job-a"], {
      ...ENV,
      HW_DRS_ENDPOINT: `http://127.0.0.1:${port}`,
    });
    assert.equal(run.code, EXIT.api, run.stderr);
    assert.match(run.stderr, new RegExp(`ECONNREFUSED[^\\n]*127\\.0\\.0\\.1:${port}`));
  });
});
