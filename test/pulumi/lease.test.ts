// The cancellation lease: a gate stops waiting when its own run's program goes, never because
// of a lease another run left, and removes its lease when it finishes. The gate waits over HTTP
// against the simulator; the "program" is a real child process that the test kills.
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startSimulator, type Simulator } from "../../src/sim";
import { isRunning, readLease, removeLease, writeLease } from "../../src/pulumi/lease";
import { UPDATE_CANCELLED } from "../../src/pulumi/operations";
import { gateProvider } from "../../src/pulumi/provider";
import { WaitAbortedError } from "../../src/wait/errors";

let serial = 0;
const waiterUrn = () =>
  `urn:pulumi:test::p::drs-jobs:index:JobWaiter::w-${process.pid}-${Date.now()}-${++serial}`;
// Engine addresses as the provider plugin gets them; nothing listens there (progress logs to
// the engine are best effort and go nowhere).
const THIS_RUN = "127.0.0.1:9";
const EARLIER_RUN = "127.0.0.1:7";

describe("the cancellation lease", () => {
  it("is read back only with the engine address of the run that wrote it", () => {
    const urn = waiterUrn();
    writeLease(urn, THIS_RUN);
    const lease = readLease(urn, THIS_RUN);
    assert.equal(lease?.pid, process.pid);
    assert.equal(readLease(urn, EARLIER_RUN), undefined, "another run's gate reads nothing");
    assert.equal(readLease(urn, undefined), undefined);
    removeLease(urn, THIS_RUN);
    assert.equal(readLease(urn, THIS_RUN), undefined);
  });

  it("tells its program from a process that was given the same PID later", function () {
    if (process.platform !== "linux") this.skip();
    const urn = waiterUrn();
    writeLease(urn, THIS_RUN);
    const lease = readLease(urn, THIS_RUN)!;
    removeLease(urn, THIS_RUN);
    assert.equal(typeof lease.started, "number");
    assert.equal(isRunning(lease), true);
    assert.equal(isRunning({ pid: process.pid, started: lease.started! + 1 }), false);
    assert.equal(isRunning({ pid: 4_000_000 }), false);
  });

  it("is not written without an engine address (an inline program outlives its update)", () => {
    // In a child with a TMPDIR of its own (os.tmpdir() reads the real environment, which
    // another test's `process.env = ...` would cut this process off from): the lease folder
    // then shows every file written, and a lease with an engine address shows that it can.
    const tmp = mkdtempSync(path.join(os.tmpdir(), "drs-lease-"));
    const script = `
      const { existsSync, readdirSync } = require("node:fs");
      const { join } = require("node:path");
      const { writeLease } = require(${JSON.stringify(path.resolve(__dirname, "../../src/pulumi/lease.ts"))});
      const dir = join(require("node:os").tmpdir(), "pulumi-drs-jobs");
      const leases = () => (existsSync(dir) ? readdirSync(dir) : []);
      const urn = ${JSON.stringify(waiterUrn())};
      writeLease(urn);
      writeLease(urn, undefined);
      writeLease(urn, "");
      const without = leases();
      writeLease(urn, ${JSON.stringify(THIS_RUN)});
      console.log(JSON.stringify({ without, withEngine: leases() }));`;
    try {
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, TMPDIR: tmp };
      const out = execFileSync(process.execPath, ["--import", "tsx", "-e", script], {
        env,
        encoding: "utf8",
      });
      const { without, withEngine } = JSON.parse(out) as {
        without: string[];
        withEngine: string[];
      };
      assert.deepEqual(without, [], "no lease without an engine address");
      assert.equal(withEngine.length, 1, "the same call with an engine address writes one");
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  describe("and the gate", function () {
    this.timeout(20_000);
    let sim: Simulator;
    const saved = { env: { ...process.env }, argv: [...process.argv] };
    const programs: ChildProcess[] = [];
    const startProgram = async () => {
      const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], {
        stdio: "ignore",
      });
      programs.push(child);
      await once(child, "spawn");
      return child;
    };
    const gate = (urn: string, jobId: string) =>
      gateProvider.create({ jobIds: [jobId], waiterUrn: urn, pollInterval: "1s", timeout: "15s" });

    before(async () => {
      sim = await startSimulator({ scenario: { auth: { token: "lease" }, jobs: [] } });
      Object.assign(process.env, {
        HW_DRS_ENDPOINT: sim.url,
        HW_PROJECT_ID: sim.projectId,
        HW_AUTH_TOKEN: "lease",
      });
      gateProvider.configure({ config: { get: () => undefined } });
      // The provider plugin's argument: this run's engine.
      process.argv = [...saved.argv, THIS_RUN];
    });
    after(async () => {
      process.argv = saved.argv;
      process.env = saved.env;
      for (const child of programs) child.kill("SIGKILL");
      await sim.stop();
    });

    it("stops waiting when this run's program goes, and removes the lease", async () => {
      sim.addJob({ id: "pending", status: "FULL_TRANSFER_STARTED" });
      const program = await startProgram();
      const urn = waiterUrn();
      writeLease(urn, THIS_RUN, program.pid);
      const waiting = gate(urn, "pending");
      setTimeout(() => program.kill("SIGKILL"), 300);
      await assert.rejects(waiting, (err: unknown) => {
        assert.ok(err instanceof WaitAbortedError, String(err));
        assert.equal(err.cause, UPDATE_CANCELLED);
        assert.match(err.message, /^the update was cancelled: stopped waiting for the DRS jobs$/);
        return true;
      });
      assert.equal(readLease(urn, THIS_RUN), undefined, "the lease is gone");
    });

    it("opens, and removes the lease, while its program runs", async () => {
      sim.addJob({ id: "ready", status: "INCRE_TRANSFER_STARTED" });
      const program = await startProgram();
      const urn = waiterUrn();
      writeLease(urn, THIS_RUN, program.pid);
      const opened = await gate(urn, "ready");
      assert.deepEqual(opened.outs.statuses, { ready: "INCRE_TRANSFER_STARTED" });
      assert.equal(readLease(urn, THIS_RUN), undefined, "the lease is gone");
    });

    it("is not cancelled by a lease an earlier run left for the same waiter", async () => {
      sim.addJob({ id: "later", status: "FULL_TRANSFER_STARTED" });
      const urn = waiterUrn();
      // The earlier run's program was killed before it could remove its lease.
      const earlier = await startProgram();
      writeLease(urn, EARLIER_RUN, earlier.pid);
      earlier.kill("SIGKILL");
      await once(earlier, "exit");
      // This run left none (an inline program, or a temp dir it could not write).
      setTimeout(() => sim.setJobStatus("later", "INCRE_TRANSFER_STARTED"), 1500);
      const opened = await gate(urn, "later");
      assert.deepEqual(opened.outs.statuses, { later: "INCRE_TRANSFER_STARTED" });
      removeLease(urn, EARLIER_RUN);
    });
  });
});
