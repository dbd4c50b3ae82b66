import assert from "node:assert/strict";
import { formatDuration, parseDuration } from "../../src/util/duration";

describe("parseDuration", () => {
  const cases: Array<[string | number, number]> = [
    ["30s", 30_000],
    ["10m", 600_000],
    ["1h30m", 5_400_000],
    ["250ms", 250],
    ["1.5s", 1500],
    [" 2m ", 120_000],
    ["45", 45_000],
    [90, 90_000],
    [0.5, 500],
  ];
  for (const [input, ms] of cases) {
    it(`reads ${JSON.stringify(input)} as ${ms} ms`, () => {
      assert.equal(parseDuration(input, "timeout"), ms);
    });
  }

  for (const bad of ["", "soon", "10x", "-5s", "5s later", "m"]) {
    it(`refuses ${JSON.stringify(bad)} and names the field`, () => {
      assert.throws(() => parseDuration(bad, "pollInterval"), /^InputError: pollInterval: /);
    });
  }

  it("names the known units when a unit is not one of them", () => {
    assert.throws(
      () => parseDuration("30d", "timeout"),
      /timeout: unknown unit "d": the units are ms, s, m and h/,
    );
    assert.throws(() => parseDuration("1h2w", "timeout"), /unknown unit "w"/);
  });

  it("shows NaN and Infinity as themselves in the error, not as null", () => {
    assert.throws(() => parseDuration(Number.NaN, "timeout"), /\(got NaN\)/);
    assert.throws(() => parseDuration(Infinity, "timeout"), /\(got Infinity\)/);
  });

  it("refuses negative and non-finite numbers", () => {
    assert.throws(() => parseDuration(-1, "timeout"), /timeout: must be a non-negative/);
    assert.throws(() => parseDuration(Number.NaN, "timeout"), /timeout: /);
  });

  it("refuses values that are neither strings nor numbers", () => {
    assert.throws(
      () => parseDuration({} as unknown as string, "timeout"),
      /timeout: must be a string/,
    );
  });
});

describe("formatDuration", () => {
  it("formats for messages", () => {
    assert.equal(formatDuration(250), "250ms");
    assert.equal(formatDuration(3000), "3s");
    assert.equal(formatDuration(90_000), "1m30s");
    assert.equal(formatDuration(3_600_000), "1h");
  });
});
