import { strict as assert } from "node:assert";
import {
  DEFAULT_TARGET_STATUSES,
  JOB_STATUSES,
  judge,
  MISSING_RESULT_CODE,
  missingObservation,
  observe,
  targetSet,
  type JobPhase,
} from "../../src/api/status";
import type { QueryJobStatusResp } from "../../src/api/wire";
import { InputError } from "../../src/util/input-error";

/** What a consumer does: observe what DRS said, then judge it against its targets. */
const classify = (result: QueryJobStatusResp, targets?: string[]) =>
  judge(observe(result), targets ? targetSet(targets) : undefined);

// The cutover phase of each of the SDK enum's 29 statuses (the batch-status page's 23, its
// PAUSEING spelled PAUSING, and six SDK-only ones), restated so a change to status.ts is deliberate.
const EXPECTED: Record<string, JobPhase> = {
  CREATING: "pending",
  CREATE_FAILED: "failed",
  CONFIGURATION: "pending",
  STARTJOBING: "pending",
  WAITING_FOR_START: "pending",
  START_JOB_FAILED: "failed",
  PAUSING: "pending",
  FULL_TRANSFER_STARTED: "pending",
  FULL_TRANSFER_FAILED: "failed",
  FULL_TRANSFER_COMPLETE: "ready",
  INCRE_TRANSFER_STARTED: "ready",
  INCRE_TRANSFER_FAILED: "failed",
  RELEASE_RESOURCE_STARTED: "stopped",
  RELEASE_RESOURCE_FAILED: "failed",
  RELEASE_RESOURCE_COMPLETE: "stopped",
  CHANGE_JOB_STARTED: "pending",
  CHANGE_JOB_FAILED: "failed",
  CHILD_TRANSFER_STARTING: "pending",
  CHILD_TRANSFER_STARTED: "pending",
  CHILD_TRANSFER_COMPLETE: "pending",
  CHILD_TRANSFER_FAILED: "failed",
  RELEASE_CHILD_TRANSFER_STARTED: "stopped",
  RELEASE_CHILD_TRANSFER_COMPLETE: "stopped",
  REBUILD_NODE_STARTED: "pending",
  REBUILD_NODE_FAILED: "failed",
  DELETED: "stopped",
  NODE_UPGRADE_START: "pending",
  NODE_UPGRADE_COMPLETE: "pending",
  NODE_UPGRADE_FAILED: "failed",
};

describe("api/status", () => {
  it("knows all 29 statuses of the SDK enum", () => {
    assert.equal(Object.keys(EXPECTED).length, 29);
    assert.deepEqual(Object.keys(JOB_STATUSES).sort(), Object.keys(EXPECTED).sort());
  });

  for (const [status, phase] of Object.entries(EXPECTED)) {
    it(`classifies ${status} as ${phase} with the default targets`, () => {
      const entry = classify({ id: "j1", status });
      assert.equal(entry.phase, phase);
      assert.equal(entry.status, status);
      assert.equal(entry.unknown, undefined);
    });
  }

  it("reads both spellings PAUSING and PAUSEING as paused and pending", () => {
    for (const status of ["PAUSING", "PAUSEING"]) {
      assert.deepEqual(classify({ id: "j", status }), {
        id: "j",
        status,
        phase: "pending",
        paused: true,
      });
    }
  });

  it("lets a target in either spelling match the other", () => {
    assert.equal(classify({ id: "j", status: "PAUSEING" }, ["PAUSING"]).phase, "ready");
    assert.equal(classify({ id: "j", status: "PAUSING" }, ["pauseing"]).phase, "ready");
  });

  it("uses configured targets instead of the default ones", () => {
    const targets = ["INCRE_TRANSFER_STARTED"];
    assert.equal(classify({ id: "j", status: "FULL_TRANSFER_COMPLETE" }, targets).phase, "pending");
    assert.equal(classify({ id: "j", status: "INCRE_TRANSFER_STARTED" }, targets).phase, "ready");
  });

  it("lets a target override the usual phase (e.g. waiting for a stop)", () => {
    const entry = classify({ id: "j", status: "RELEASE_RESOURCE_COMPLETE" }, [
      "RELEASE_RESOURCE_COMPLETE",
    ]);
    assert.equal(entry.phase, "ready");
  });

  it("classifies an unknown status as pending and flags it, never throwing", () => {
    assert.deepEqual(classify({ id: "j", status: "QUANTUM_TRANSFER" }), {
      id: "j",
      status: "QUANTUM_TRANSFER",
      phase: "pending",
      unknown: true,
    });
    assert.equal(classify({ id: "j" }).unknown, true);
  });

  it("treats error_code as a failed entry and marks not-found codes", () => {
    for (const code of ["DRS.M00289", "DRS.M05004"]) {
      const entry = classify({ id: "j", error_code: code, error_message: "gone" });
      assert.deepEqual(entry, {
        id: "j",
        phase: "failed",
        errorCode: code,
        errorMessage: "gone",
        notFound: true,
      });
    }
    const other = classify({ id: "j", status: "INCRE_TRANSFER_STARTED", error_code: "DRS.M00004" });
    assert.equal(other.phase, "failed");
    assert.equal(other.status, "INCRE_TRANSFER_STARTED");
    assert.equal(other.notFound, undefined);
  });

  it("defaults to FULL_TRANSFER_COMPLETE and INCRE_TRANSFER_STARTED", () => {
    assert.deepEqual(
      [...DEFAULT_TARGET_STATUSES],
      ["FULL_TRANSFER_COMPLETE", "INCRE_TRANSFER_STARTED"],
    );
  });

  it("refuses an empty target list or an empty name", () => {
    assert.throws(() => targetSet([]), /at least one status/);
    assert.throws(() => targetSet([" "]), InputError);
  });

  it("refuses a misspelt target status, naming its position and the nearest known status", () => {
    assert.throws(
      () => targetSet(["FULL_TRANSFER_COMPLETE", "INCRE_TRANSFER_STARTD"]),
      (err: InputError) =>
        err instanceof InputError &&
        err.field === "targetStatuses[1]" &&
        /"INCRE_TRANSFER_STARTD" is not a DRS job status; did you mean INCRE_TRANSFER_STARTED\?/.test(
          err.reason,
        ),
    );
    assert.throws(() => targetSet(["BOGUS"]), /did you mean/);
  });

  it("refuses a failure status as a target: a job in it fails the wait", () => {
    assert.throws(
      () => targetSet(["INCRE_TRANSFER_STARTED", "incre_transfer_failed"]),
      (err: InputError) =>
        err.field === "targetStatuses[1]" &&
        /"incre_transfer_failed" is a failure status \(incremental migration failed\)/.test(
          err.reason,
        ),
    );
    // Stopped statuses stay allowed: waiting for a stop to finish is a real need.
    assert.ok(targetSet(["RELEASE_RESOURCE_COMPLETE"]).has("RELEASE_RESOURCE_COMPLETE"));
  });

  it("refuses a lone string instead of reading it letter by letter", () => {
    assert.throws(
      () => targetSet("FULL_TRANSFER_COMPLETE"),
      (err: InputError) => err.field === "targetStatuses" && /must be a list/.test(err.reason),
    );
  });

  it("observes without judging: an observation has no phase, whatever the targets", () => {
    const observation = observe({ id: "j", status: "INCRE_TRANSFER_STARTED" });
    assert.deepEqual(observation, { id: "j", status: "INCRE_TRANSFER_STARTED" });
    assert.equal(judge(observation).phase, "ready");
    assert.equal(judge(observation, targetSet(["FULL_TRANSFER_COMPLETE"])).phase, "pending");
  });

  it("reports a job the service never returned as missing, which judges as failed", () => {
    const observation = missingObservation("j", 2);
    assert.equal(observation.missing, true);
    assert.equal(observation.errorCode, MISSING_RESULT_CODE);
    assert.equal(judge(observation).phase, "failed");
  });
});
