// Mistakes on the command line get a reason a person can act on, in the command's own terms
// (flags, not the library's option names), before anything is sent.
import { strict as assert } from "node:assert";
import { EXIT } from "../../src/cli/exit";
import { startSimulator, type Simulator } from "../../src/sim";
import { drsJobs, simulatorEnv } from "../support/drs-jobs";

const TOKEN = "usage-token-0123456789";

describe("drs-jobs: usage mistakes (exit 2, nothing sent)", function () {
  this.timeout(60_000);
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({
      scenario: {
        auth: { token: TOKEN },
        jobs: [{ id: "job-a", status: "FULL_TRANSFER_STARTED" }],
      },
    });
  });
  after(() => sim.stop());
  const run = async (args: string[]) => {
    const before = sim.requestLog().length;
    const result = await drsJobs(args, simulatorEnv(sim, TOKEN));
    assert.equal(result.code, EXIT.usage, result.stderr);
    assert.equal(sim.requestLog().length, before, "nothing was sent");
    return result.stderr;
  };

  it("refuses a failure status as --target, saying why", async () => {
    assert.match(
      await run(["wait", "--target", "INCRE_TRANSFER_STARTED,FULL_TRANSFER_FAILED", "job-a"]),
      /--target\[1\]: "FULL_TRANSFER_FAILED" is a failure status \(full migration failed\): a job in it fails the wait, so it cannot be a target/,
    );
  });

  it("names flags, never the library's option names", async () => {
    const stderr = await run(["wait", "--lag-stable-for", "30s", "job-a"]);
    assert.match(stderr, /--lag-stable-for: needs --max-lag/);
    assert.doesNotMatch(stderr, /maxReplicationLag|lagStableFor/);
  });

  it("gives an id with a leading - its own reason", async () => {
    assert.match(
      await run(["status", "--", "-job-a"]),
      /job id argument 1: "-job-a" starts with "-": DRS job ids start with a letter or digit/,
    );
  });

  it("names the known units of a duration", async () => {
    assert.match(
      await run(["wait", "--timeout", "30d", "job-a"]),
      /--timeout: unknown unit "d": the units are ms, s, m and h/,
    );
  });

  it("refuses an --endpoint with a path up front", async () => {
    const stderr = await run([
      "status",
      "--endpoint",
      `${sim.url}/v3/${sim.projectId}/jobs/batch-status`,
      "job-a",
    ]);
    assert.match(
      stderr,
      /endpoint .* has a path; give the base URL only, e\.g\. http:\/\/127\.0\.0\.1:\d+ /,
    );
  });
});
