import { strict as assert } from "node:assert";
import { DrsApiError, DrsSettingsError, parseErrorBody } from "../../src/api/errors";
import { responseError } from "../../src/api/http";
import { Secret } from "../../src/api/secret";

describe("api/errors", () => {
  it("reads the DRS shape error_code/error_msg", () => {
    assert.deepEqual(
      parseErrorBody('{"error_code":"DRS.M00201","error_msg":"The jobs parameter is empty."}'),
      {
        errorCode: "DRS.M00201",
        serviceMessage: "The jobs parameter is empty.",
      },
    );
  });

  it("reads the gateway shape error.code/error.message", () => {
    assert.deepEqual(parseErrorBody('{"error":{"code":"APIG.0308","message":"throttled"}}'), {
      errorCode: "APIG.0308",
      serviceMessage: "throttled",
    });
  });

  it("quotes at most 200 characters of a non-JSON body", () => {
    const html = `<html>${"x".repeat(1000)}</html>`;
    const parsed = parseErrorBody(html);
    assert.equal(parsed.errorCode, undefined);
    assert.match(parsed.serviceMessage!, /^non-JSON response: <html>x+…$/);
    assert.ok(parsed.serviceMessage!.length < 240);
  });

  it("quotes JSON without a known error shape", () => {
    assert.match(parseErrorBody('{"oops":1}').serviceMessage!, /unexpected response: \{"oops":1\}/);
  });

  it("builds a message with status, code, request id and what to do", () => {
    const err = responseError(
      {
        status: 403,
        headers: {},
        body: '{"error_code":"DRS.M00261","error_msg":"invalid project ID"}',
        requestId: "req-1",
      },
      "DRS batch-status",
      [],
    );
    assert.ok(err instanceof DrsApiError);
    assert.equal(err.httpStatus, 403);
    assert.equal(err.errorCode, "DRS.M00261");
    assert.equal(err.requestId, "req-1");
    assert.equal(err.retryable, false);
    assert.match(
      err.message,
      /HTTP 403 DRS\.M00261: invalid project ID \[request id req-1\]\. Check the project id/,
    );
  });

  it("tells the user to check credentials on 401", () => {
    const err = responseError({ status: 401, headers: {}, body: "" }, "DRS batch-status", []);
    assert.match(err.message, /Check the credentials/);
  });

  it("names where refused credentials came from, not always the HW_* variables", () => {
    const fromProfile = responseError(
      { status: 403, headers: {}, body: "" },
      "DRS batch-status",
      [],
      "profile file /home/ci/.huaweicloud/credentials [basic]",
    );
    assert.match(
      fromProfile.message,
      /Check the credentials from profile file \/home\/ci\/\.huaweicloud\/credentials \[basic\], their DRS permissions/,
    );
    assert.doesNotMatch(fromProfile.message, /HW_AUTH_TOKEN/);
    const fromEnv = responseError(
      { status: 401, headers: {}, body: "" },
      "DRS batch-status",
      [],
      "HW_* environment",
    );
    assert.match(fromEnv.message, /Check the credentials \(HW_AUTH_TOKEN, /);
  });

  it("marks 429 and 5xx retryable and reads Retry-After", () => {
    const throttled = responseError(
      { status: 429, headers: { "retry-after": "3" }, body: "" },
      "op",
      [],
    );
    assert.equal(throttled.retryable, true);
    assert.equal(throttled.retryAfterMs, 3000);
    for (const status of [500, 502, 503, 504]) {
      assert.equal(responseError({ status, headers: {}, body: "" }, "op", []).retryable, true);
    }
    for (const status of [400, 401, 403, 404, 422]) {
      assert.equal(responseError({ status, headers: {}, body: "" }, "op", []).retryable, false);
    }
  });

  it("redacts secrets the service echoes back", () => {
    const token = "MIIsecret-token-value-1234567890";
    const err = responseError(
      { status: 400, headers: {}, body: `<pre>X-Auth-Token: ${token}</pre>` },
      "op",
      [new Secret(token)],
    );
    assert.ok(!err.message.includes(token));
    assert.match(err.message, /\[redacted\]/);
  });

  it("lists every settings problem in one error, each with its field", () => {
    const err = new DrsSettingsError([
      { field: "project id", reason: "no project id: set HW_PROJECT_ID" },
      { field: "HW_SECRET_KEY", reason: "missing" },
    ]);
    assert.equal(
      err.message,
      "DRS settings:\n  - no project id: set HW_PROJECT_ID\n  - HW_SECRET_KEY: missing",
    );
    assert.deepEqual(
      err.problems.map((p) => p.field),
      ["project id", "HW_SECRET_KEY"],
    );
  });
});
