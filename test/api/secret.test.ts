// What the service says is shown to people and stored in states: it must not be able to move a
// cursor, forge a line, reorder text, or carry a credential through.
import { strict as assert } from "node:assert";
import { parseErrorBody } from "../../src/api/errors";
import { responseError } from "../../src/api/http";
import { cleanServiceText, MAX_SERVICE_TEXT_CHARS, Secret } from "../../src/api/secret";

// eslint-disable-next-line no-control-regex -- the point: none of these may survive
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

describe("api/secret: cleaning service text", () => {
  it("a 503 whose JSON message holds ESC, CR and LF keeps none of them and forges no line", () => {
    const body = JSON.stringify({
      error_code: "DRS.M05003",
      error_msg: "busy\u001b[1A\u001b[2K\r\ndrs-jobs: all 1 jobs ready",
    });
    // The raw body holds the escapes as text (`\u001b`): cleaning it would find nothing.
    assert.doesNotMatch(body, CONTROL);
    const err = responseError({ status: 503, headers: {}, body }, "DRS batch-status", []);
    assert.doesNotMatch(err.message, CONTROL);
    assert.doesNotMatch(err.serviceMessage!, CONTROL);
    assert.equal(err.message.split("\n").length, 1);
    assert.match(err.serviceMessage!, /^busy \[1A \[2K drs-jobs: all 1 jobs ready$/);
  });

  it("redacts an echoed secret holding a quote or a backslash (JSON-escaped in the body)", () => {
    const secret = 'p"ss\\w0rd-9f3e';
    const body = JSON.stringify({ error_msg: `bad token ${secret}` });
    const err = responseError({ status: 400, headers: {}, body }, "op", [new Secret(secret)]);
    assert.ok(!err.message.includes("w0rd-9f3e"), err.message);
    assert.match(err.message, /bad token \[redacted\]/);
    // Quoted raw (not JSON at all), the escaped form is redacted too.
    const raw = responseError(
      { status: 502, headers: {}, body: `{"broken": "${JSON.stringify(secret).slice(1, -1)}` },
      "op",
      [new Secret(secret)],
    );
    assert.ok(!raw.message.includes("w0rd-9f3e"), raw.message);
  });

  it("cleans the strings of an answer of unknown shape before quoting it", () => {
    const parsed = parseErrorBody(JSON.stringify({ oops: "a\u001b[2Kb\u202eevil" }));
    assert.doesNotMatch(parsed.serviceMessage!, CONTROL);
    assert.doesNotMatch(parsed.serviceMessage!, /\u202e/);
    assert.match(parsed.serviceMessage!, /unexpected response: \{"oops":"a \[2Kbevil"\}/);
  });

  it("strips bidi overrides, isolates and zero-width characters", () => {
    const text =
      "job\u202e gnp.exe\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069 x\u200b\u200c\u200d\u200e\u200fy";
    assert.equal(cleanServiceText(text, []), "job gnp.exe xy");
  });

  it("turns Unicode line and paragraph separators into spaces", () => {
    assert.equal(cleanServiceText("a\u2028b\u2029c", []), "a b c");
  });

  it("redacts URL user info up to the last @ before the host", () => {
    const cases: [string, string][] = [
      [
        "cannot connect to mysql://root:P@ssw0rd@10.0.0.5:3306 (timeout)",
        "cannot connect to mysql://[redacted]@10.0.0.5:3306 (timeout)",
      ],
      [
        "jdbc:postgresql://app:s3/cr3t@host/db refused",
        "jdbc:postgresql://[redacted]@host/db refused",
      ],
      ["https://u:p@h/x", "https://[redacted]@h/x"],
    ];
    for (const [text, clean] of cases) assert.equal(cleanServiceText(text, []), clean);
  });

  it("redacts password=, pwd= and token/password/secret query parameters", () => {
    const cases: [string, string][] = [
      [
        "Server=db;User Id=sa;Password=Hunter2!;Encrypt=true",
        "Server=db;User Id=sa;Password=[redacted];Encrypt=true",
      ],
      ["uid=sa;pwd=Hunter2!", "uid=sa;pwd=[redacted]"],
      [
        "GET /x?token=abc123&page=2&client_secret=s3cr3t&password=pw",
        "GET /x?token=[redacted]&page=2&client_secret=[redacted]&password=[redacted]",
      ],
    ];
    for (const [text, clean] of cases) assert.equal(cleanServiceText(text, []), clean);
  });

  it("cuts a megabyte of suspicious text at a word boundary, without a half URL left behind", () => {
    // Quadratic patterns would not finish this before the test's timeout.
    const word = `${"a".repeat(1_000_000)}://token=${"b".repeat(1_000_000)}`;
    const text = `start mysql://root:P@ssw0rd@db ${word} end`;
    const clean = cleanServiceText(text, []);
    assert.ok(clean.length <= MAX_SERVICE_TEXT_CHARS + 40, `${clean.length} characters`);
    assert.match(clean, /^start mysql:\/\/\[redacted\]@db …\[cut: \d+ characters\]$/);
    const long = `${"x ".repeat(4090)}mysql://root:P@ssw0rd@db`; // straddles the cut
    assert.doesNotMatch(cleanServiceText(long, []), /ssw0rd|root:P/);
  });

  it("leaves ordinary text as it is", () => {
    for (const text of ["", "FULL_TRANSFER_STARTED", "DRS.M00004", "任务失败", "disk 95% full"]) {
      assert.equal(cleanServiceText(text, [new Secret("some-secret-value")]), text);
    }
  });
});
