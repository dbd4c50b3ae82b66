// The one job-id rule every edge applies: the client, waitForJobs, `check` and the command.
import { strict as assert } from "node:assert";
import {
  asJobIds,
  jobIdProblems,
  knownJobIds,
  MAX_JOB_ID_LENGTH,
  validateJobIds,
} from "../../src/api/job-ids";
import { InputError } from "../../src/util/input-error";

describe("api/job-ids", () => {
  it("keeps distinct ids in first-seen order, trimmed", () => {
    assert.deepEqual(validateJobIds(["b", "a", "b", " c "]), ["b", "a", "c"]);
    assert.deepEqual(validateJobIds(["9a470239-2308-4bb5-a6bc-1040402fjb21"]), [
      "9a470239-2308-4bb5-a6bc-1040402fjb21",
    ]);
  });

  it("names the position and the reason of each bad id", () => {
    assert.deepEqual(jobIdProblems(["a", "", 7, "x\ny", "a b"]), [
      { field: "jobIds[1]", reason: "is blank" },
      { field: "jobIds[2]", reason: "must be a string, got number" },
      {
        field: "jobIds[3]",
        reason: '"x\\ny" is not a DRS job id (letters, digits, "-", "_" and "." only)',
      },
      {
        field: "jobIds[4]",
        reason: '"a b" is not a DRS job id (letters, digits, "-", "_" and "." only)',
      },
    ]);
  });

  it("gives an id with a leading - its own reason", () => {
    assert.deepEqual(jobIdProblems(["--timeout"]), [
      {
        field: "jobIds[0]",
        reason:
          '"--timeout" starts with "-": DRS job ids start with a letter or digit (an option in the wrong place?)',
      },
    ]);
  });

  it("refuses a megabyte id without quoting it back", () => {
    const huge = "a".repeat(50 * 1024 * 1024);
    assert.throws(
      () => validateJobIds([huge]),
      (err: InputError) =>
        err instanceof InputError &&
        new RegExp(`at most ${MAX_JOB_ID_LENGTH}`).test(err.message) &&
        err.message.length < 200,
    );
  });

  it("refuses what is not a non-empty list", () => {
    assert.throws(() => validateJobIds("abc"), /jobIds: must be a list/);
    assert.throws(() => validateJobIds([]), /jobIds: give at least one/);
  });

  it("lists five bad ids and counts the rest", () => {
    const ids = Array.from({ length: 12 }, () => "bad id");
    assert.throws(
      () => validateJobIds(ids),
      (err: InputError) => {
        assert.equal(err.problems.length, 6);
        assert.match(err.message, /and 7 more bad job ids/);
        return true;
      },
    );
  });

  it("checks a list once: a checked list passes through as it is, any other is checked", () => {
    const checked = validateJobIds(["a", " b "]);
    assert.equal(asJobIds(checked), checked);
    assert.ok(Object.isFrozen(checked));
    // The same ids in a list nobody checked are checked (and copied), and a bad one refused.
    const fresh = ["a", "b"];
    assert.notEqual(asJobIds(fresh), fresh);
    assert.throws(() => asJobIds(["a", "-b"]), /jobIds\[1\]/);
  });

  it("joins checked lists without checking again, distinct, in first-seen order", () => {
    const joined = knownJobIds([...validateJobIds(["a", "b"]), ...validateJobIds(["b", "c"])]);
    assert.deepEqual(joined, ["a", "b", "c"]);
    assert.equal(asJobIds(joined), joined);
  });
});
