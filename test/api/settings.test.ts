import { strict as assert } from "node:assert";
import { inspect } from "node:util";
import { DrsSettingsError } from "../../src/api/errors";
import { InputError } from "../../src/util/input-error";
import { resolveSettings, settingsKey, type Environment } from "../../src/api/settings";

const PROJECT = "054ba152d480d55b2f5dc0069e7ddef0";
const SK = "sk-very-secret-0123456789";
const BASE: Environment = {
  HW_REGION_NAME: "cn-north-4",
  HW_PROJECT_ID: PROJECT,
  HW_AUTH_TOKEN: "tok-0123456789",
};

function problems(env: Environment, input = {}): string {
  try {
    resolveSettings({ env, ...input });
  } catch (err) {
    assert.ok(err instanceof DrsSettingsError, `expected DrsSettingsError, got ${String(err)}`);
    return err.message;
  }
  assert.fail("expected a DrsSettingsError");
}

describe("api/settings", () => {
  it("names the field of every problem (an InputError, as wait options and check)", () => {
    const err = (() => {
      try {
        resolveSettings({
          env: { HW_ACCESS_KEY: "AK0123456789", HW_REGION_NAME: "nowhere", HW_MAX_RETRIES: "99" },
        });
      } catch (e) {
        return e;
      }
    })();
    assert.ok(err instanceof DrsSettingsError && err instanceof InputError, String(err));
    assert.deepEqual(err.problems.map((p) => p.field).sort(), [
      "HW_MAX_RETRIES",
      "HW_SECRET_KEY",
      "region",
    ]);
    // A reason that names its field is not prefixed with it again.
    assert.match(err.message, /^ {2}- HW_ACCESS_KEY is set without HW_SECRET_KEY: set both$/m);
  });

  it("derives the endpoint from HW_REGION_NAME", () => {
    const s = resolveSettings({ env: BASE });
    assert.equal(s.endpoint, "https://drs.cn-north-4.myhuaweicloud.com");
    assert.equal(s.projectId, PROJECT);
    assert.equal(s.language, "en-us");
    assert.equal(s.maxRetries, 4);
    assert.equal(s.requestTimeoutMs, 30_000);
    assert.equal(s.credentials.kind, "token");
  });

  it("uses .myhuaweicloud.eu for eu-west-101, for DRS and IAM", () => {
    const s = resolveSettings({
      env: {
        HW_REGION_NAME: "eu-west-101",
        HW_PROJECT_ID: PROJECT,
        HW_USER_NAME: "u",
        HW_USER_PASSWORD: "p",
        HW_DOMAIN_NAME: "d",
      },
    });
    assert.equal(s.endpoint, "https://drs.eu-west-101.myhuaweicloud.eu");
    assert.equal(
      s.credentials.kind === "password" && s.credentials.iamEndpoint,
      "https://iam.eu-west-101.myhuaweicloud.eu",
    );
  });

  it("prefers HW_DRS_ENDPOINT, and explicit options over the environment", () => {
    assert.equal(
      resolveSettings({ env: { ...BASE, HW_DRS_ENDPOINT: "https://drs.example.test/" } }).endpoint,
      "https://drs.example.test",
    );
    const s = resolveSettings({
      env: BASE,
      endpoint: "http://127.0.0.1:8080",
      projectId: "abc",
      language: "zh-cn",
    });
    assert.equal(s.endpoint, "http://127.0.0.1:8080");
    assert.equal(s.projectId, "abc");
    assert.equal(s.language, "zh-cn");
  });

  it("allows plain http only for loopback hosts", () => {
    for (const endpoint of [
      "http://127.0.0.1:1",
      "http://127.5.6.7",
      "http://localhost:9",
      "http://[::1]:80",
    ]) {
      assert.equal(
        resolveSettings({ env: BASE, endpoint }).endpoint.startsWith("http://"),
        true,
        endpoint,
      );
    }
    for (const endpoint of [
      "http://drs.cn-north-4.myhuaweicloud.com",
      "http://10.0.0.1",
      "http://127.0.0.1.evil.test",
    ]) {
      assert.match(problems(BASE, { endpoint }), /must use https/, endpoint);
    }
    assert.match(
      problems({
        ...BASE,
        HW_USER_NAME: "u",
        HW_USER_PASSWORD: "p",
        HW_DOMAIN_NAME: "d",
        HW_AUTH_TOKEN: "",
        HW_AUTH_URL: "http://iam.test",
      }),
      /IAM endpoint.*must use https/,
    );
  });

  it("refuses endpoints that are not URLs or carry user info or a query", () => {
    assert.match(problems(BASE, { endpoint: "drs.example" }), /is not a URL/);
    assert.match(problems(BASE, { endpoint: "https://u:p@drs.example" }), /user info/);
    assert.match(problems(BASE, { endpoint: "ftp://drs.example" }), /https/);
  });

  it("refuses an endpoint with a path: the API paths are added to it", () => {
    assert.match(
      problems(BASE, { endpoint: "https://drs.example.test/v3/p1/jobs/batch-status" }),
      /has a path; give the base URL only, e\.g\. https:\/\/drs\.example\.test /,
    );
    assert.equal(
      resolveSettings({ env: BASE, endpoint: "https://drs.example.test/" }).endpoint,
      "https://drs.example.test",
    );
  });

  it("names what to set when the endpoint, project id or credentials are missing", () => {
    const message = problems({});
    assert.match(message, /HW_REGION_NAME/);
    assert.match(message, /HW_PROJECT_ID/);
    assert.match(message, /HW_AUTH_TOKEN, or HW_ACCESS_KEY and HW_SECRET_KEY/);
  });

  const contradictions: [string, Environment, RegExp][] = [
    ["token and AK/SK", { HW_ACCESS_KEY: "ak", HW_SECRET_KEY: SK }, /both a token.*AK\/SK/],
    [
      "token and user/password",
      { HW_USER_NAME: "u", HW_USER_PASSWORD: "p", HW_DOMAIN_NAME: "d" },
      /both a token.*user/,
    ],
  ];
  for (const [name, extra, expected] of contradictions) {
    it(`refuses ${name} together`, () => assert.match(problems({ ...BASE, ...extra }), expected));
  }

  const noToken = { ...BASE, HW_AUTH_TOKEN: undefined };
  const incomplete: [string, Environment, RegExp][] = [
    [
      "AK/SK with user/password",
      { HW_ACCESS_KEY: "ak", HW_SECRET_KEY: SK, HW_USER_NAME: "u", HW_USER_PASSWORD: "p" },
      /contradictory/,
    ],
    ["AK without SK", { HW_ACCESS_KEY: "ak" }, /HW_ACCESS_KEY is set without HW_SECRET_KEY/],
    ["SK without AK", { HW_SECRET_KEY: SK }, /HW_SECRET_KEY is set without HW_ACCESS_KEY/],
    ["a security token alone", { HW_SECURITY_TOKEN: "st-0123456789" }, /set both/],
    [
      "a user without password",
      { HW_USER_NAME: "u", HW_DOMAIN_NAME: "d" },
      /without HW_USER_PASSWORD/,
    ],
    [
      "a password without user",
      { HW_USER_PASSWORD: "p", HW_DOMAIN_NAME: "d" },
      /without HW_USER_NAME/,
    ],
    ["a user without domain", { HW_USER_NAME: "u", HW_USER_PASSWORD: "p" }, /HW_DOMAIN_NAME/],
    [
      "a bad HW_MAX_RETRIES",
      { HW_AUTH_TOKEN: "t-0123456789", HW_MAX_RETRIES: "many" },
      /HW_MAX_RETRIES/,
    ],
    [
      "a bad language",
      { HW_AUTH_TOKEN: "t-0123456789", HW_DRS_LANGUAGE: "fr-fr" },
      /language "fr-fr"/,
    ],
  ];
  for (const [name, extra, expected] of incomplete) {
    it(`refuses ${name}`, () => assert.match(problems({ ...noToken, ...extra }), expected));
  }

  it("needs IAM's address for user/password auth with an explicit endpoint and no region", () => {
    const env = {
      HW_DRS_ENDPOINT: "https://drs.test",
      HW_PROJECT_ID: PROJECT,
      HW_USER_NAME: "u",
      HW_USER_PASSWORD: "p",
      HW_DOMAIN_NAME: "d",
    };
    assert.match(problems(env), /HW_AUTH_URL or HW_REGION_NAME/);
  });

  it("lets explicit credentials replace the environment's", () => {
    const s = resolveSettings({
      env: { ...BASE, HW_ACCESS_KEY: "ak", HW_SECRET_KEY: SK },
      authToken: "explicit-token",
    });
    assert.equal(s.credentials.kind === "token" && s.credentials.token.reveal(), "explicit-token");
  });

  it("reads AK/SK with a security token and HW_MAX_RETRIES", () => {
    const s = resolveSettings({
      env: {
        ...noToken,
        HW_ACCESS_KEY: "ak",
        HW_SECRET_KEY: SK,
        HW_SECURITY_TOKEN: "st-0123456789",
        HW_MAX_RETRIES: "2",
      },
    });
    assert.equal(s.credentials.kind, "aksk");
    assert.equal(s.maxRetries, 2);
  });

  it("never shows a secret through inspect or JSON", () => {
    const s = resolveSettings({
      env: {
        ...noToken,
        HW_ACCESS_KEY: "AKIDEXAMPLE",
        HW_SECRET_KEY: SK,
        HW_SECURITY_TOKEN: "security-token-987654",
      },
    });
    for (const text of [
      inspect(s, { depth: 10 }),
      JSON.stringify(s),
      inspect(s.credentials, { depth: 10 }),
      `${JSON.stringify(s.credentials)}`,
    ]) {
      assert.ok(!text.includes(SK) && !text.includes("security-token-987654"), text);
    }
  });

  it("gives a stable key that changes with endpoint, project or credentials and hides them", () => {
    const a = settingsKey(resolveSettings({ env: BASE }));
    assert.equal(a, settingsKey(resolveSettings({ env: { ...BASE } })));
    assert.notEqual(a, settingsKey(resolveSettings({ env: { ...BASE, HW_PROJECT_ID: "other" } })));
    assert.notEqual(
      a,
      settingsKey(resolveSettings({ env: { ...BASE, HW_AUTH_TOKEN: "tok-other-123" } })),
    );
    assert.notEqual(
      a,
      settingsKey(resolveSettings({ env: { ...BASE, HW_REGION_NAME: "cn-south-1" } })),
    );
    assert.ok(!a.includes("tok-0123456789"));
  });
});
