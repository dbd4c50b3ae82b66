// The credential chain, source by source: which one wins, and what a half-configured one says.
import { strict as assert } from "node:assert";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DrsCredentialsError, DrsSettingsError } from "../../../src/api/errors";
import {
  resolveSettings,
  type DrsSettings,
  type DrsSettingsInput,
  type Environment,
} from "../../../src/api/settings";
import { DEFAULT_ECS_METADATA_ENDPOINT } from "../../../src/api/auth/sources/ecs-metadata";

const PROJECT = "054ba152d480d55b2f5dc0069e7ddef0";
const ENDPOINT = { HW_DRS_ENDPOINT: "https://drs.test" };
const SDK_SK = "sdk-secret-key-0123456789abcdef";

function failure(env: Environment, input: DrsSettingsInput = {}): Error {
  try {
    resolveSettings({ env, ...input });
  } catch (err) {
    assert.ok(err instanceof DrsSettingsError, `expected DrsSettingsError, got ${String(err)}`);
    return err;
  }
  assert.fail("expected the settings to be refused");
}

function keysOf(settings: DrsSettings): string {
  const c = settings.credentials;
  return c.kind === "aksk" ? `${c.accessKey}/${c.secretKey.reveal()}` : c.kind;
}

describe("api/auth: credential sources and the resolver", () => {
  let home: string;
  beforeEach(async () => (home = await mkdtemp(join(tmpdir(), "drs-creds-"))));
  afterEach(() => rm(home, { recursive: true, force: true }));

  async function profile(
    text: string,
    mode = 0o600,
    file = join(home, ".huaweicloud", "credentials"),
  ) {
    await mkdir(join(file, ".."), { recursive: true });
    await writeFile(file, text);
    await chmod(file, mode);
    return file;
  }

  it("reads the HUAWEICLOUD_SDK_* environment: AK/SK, security token, project id", () => {
    const s = resolveSettings({
      env: {
        ...ENDPOINT,
        HUAWEICLOUD_SDK_AK: "SDKAK",
        HUAWEICLOUD_SDK_SK: SDK_SK,
        HUAWEICLOUD_SDK_SECURITY_TOKEN: "sdk-security-token-0123",
        HUAWEICLOUD_SDK_PROJECT_ID: PROJECT,
      },
    });
    assert.equal(s.credentialSource, "HUAWEICLOUD_SDK_* environment");
    assert.equal(keysOf(s), `SDKAK/${SDK_SK}`);
    assert.equal(
      s.credentials.kind === "aksk" && s.credentials.securityToken?.reveal(),
      "sdk-security-token-0123",
    );
    assert.equal(s.projectId, PROJECT);
    assert.equal(s.projectIdSource, "HUAWEICLOUD_SDK_PROJECT_ID");
  });

  it("keeps explicit settings, then HW_*, ahead of the SDK sources", async () => {
    await profile("[basic]\nak = PROFILEAK\nsk = profile-secret-0123\n");
    const env = {
      ...ENDPOINT,
      HOME: home,
      HW_PROJECT_ID: PROJECT,
      HW_ACCESS_KEY: "HWAK",
      HW_SECRET_KEY: "hw-secret-0123456",
      HUAWEICLOUD_SDK_AK: "SDKAK",
      HUAWEICLOUD_SDK_SK: SDK_SK,
    };
    assert.equal(keysOf(resolveSettings({ env })), "HWAK/hw-secret-0123456");
    const explicit = resolveSettings({ env, accessKey: "EXPAK", secretKey: "explicit-secret-01" });
    assert.equal(keysOf(explicit), "EXPAK/explicit-secret-01");
    assert.match(explicit.credentialSource, /explicit/);
    const sdk = resolveSettings({ env: { ...env, HW_ACCESS_KEY: "", HW_SECRET_KEY: "" } });
    assert.equal(keysOf(sdk), `SDKAK/${SDK_SK}`);
    const onlyProfile = { ...ENDPOINT, HOME: home, HW_PROJECT_ID: PROJECT };
    assert.equal(keysOf(resolveSettings({ env: onlyProfile })), "PROFILEAK/profile-secret-0123");
  });

  it("refuses a half-configured SDK environment rather than falling through to the profile", async () => {
    await profile("[basic]\nak = PROFILEAK\nsk = profile-secret-0123\n");
    const err = failure({
      ...ENDPOINT,
      HOME: home,
      HW_PROJECT_ID: PROJECT,
      HUAWEICLOUD_SDK_AK: "SDKAK",
    });
    assert.ok(err instanceof DrsCredentialsError);
    assert.match(err.message, /HUAWEICLOUD_SDK_AK is set without HUAWEICLOUD_SDK_SK/);
  });

  it("calls every half-configured source a credentials error, a contradiction a settings one", () => {
    const env = { ...ENDPOINT, HW_PROJECT_ID: PROJECT };
    const halfHw = failure({ ...env, HW_ACCESS_KEY: "HWAK" });
    assert.ok(halfHw instanceof DrsCredentialsError);
    assert.match(halfHw.message, /HW_ACCESS_KEY is set without HW_SECRET_KEY/);
    const halfUser = failure({ ...env, HW_USER_NAME: "u", HW_DOMAIN_NAME: "d" });
    assert.ok(halfUser instanceof DrsCredentialsError);
    const both = failure({ ...env, HW_AUTH_TOKEN: "t-0123456789", HW_ACCESS_KEY: "A" });
    assert.ok(!(both instanceof DrsCredentialsError));
    assert.match(both.message, /contradictory credentials/);
  });

  it("names the keys of the source that is half set: drs:* config, not HW_*", () => {
    const env = { ...ENDPOINT, HW_PROJECT_ID: PROJECT };
    const halfConfig = failure(env, { accessKey: "CFGAK" });
    assert.ok(halfConfig instanceof DrsCredentialsError);
    assert.match(
      halfConfig.message,
      /accessKey \(drs:accessKey\) is set without secretKey \(drs:secretKey\)/,
    );
    assert.doesNotMatch(halfConfig.message, /HW_ACCESS_KEY|HW_SECRET_KEY/);
    const halfUser = failure(env, { userName: "u", domainName: "d" });
    assert.match(
      halfUser.message,
      /userName \(drs:userName\) is set without password \(drs:password\)/,
    );
    const both = failure(env, { authToken: "t-0123456789", accessKey: "A" });
    assert.match(both.message, /a token \(authToken \(drs:authToken\)\) and AK\/SK/);
  });

  it("reads the profile file's [basic]: ak, sk, security_token, project_id, iam_endpoint", async () => {
    const file = await profile(
      '; written by hcloud\n[basic]\nak = PROFILEAK\nsk = "profile secret; with a semicolon"\nsecurity_token = st-0123456789\nproject_id = ' +
        PROJECT +
        "\niam_endpoint = http://127.0.0.1:9\n\n[global]\nak = OTHER\n",
    );
    const s = resolveSettings({ env: { ...ENDPOINT, HOME: home, HW_REGION_NAME: "cn-north-4" } });
    assert.equal(keysOf(s), "PROFILEAK/profile secret; with a semicolon");
    assert.equal(s.credentialSource, `profile file ${file} [basic]`);
    assert.equal(s.projectId, PROJECT);
    assert.match(s.projectIdSource, /project_id in the profile file/);
    assert.equal(s.iamEndpoint, "http://127.0.0.1:9");
  });

  it("reads the file HUAWEICLOUD_SDK_CREDENTIALS_FILE names, and refuses it when missing", async () => {
    const file = await profile(
      "[basic]\nak = NAMEDAK\nsk = named-secret-0123\n",
      0o600,
      join(home, "ci", "creds.ini"),
    );
    const env = { ...ENDPOINT, HW_PROJECT_ID: PROJECT, HUAWEICLOUD_SDK_CREDENTIALS_FILE: file };
    assert.equal(keysOf(resolveSettings({ env })), "NAMEDAK/named-secret-0123");
    const missing = join(home, "nope.ini");
    const err = failure({ ...env, HUAWEICLOUD_SDK_CREDENTIALS_FILE: missing });
    assert.ok(err instanceof DrsCredentialsError);
    assert.match(err.message, new RegExp(`${missing}.*ENOENT`));
  });

  const halfProfiles: [string, string, RegExp][] = [
    ["ak without sk", "[basic]\nak = PROFILEAK\n", /has ak but no sk in \[basic\]/],
    ["sk without ak", "[basic]\nsk = s-0123456789\n", /has sk but no ak in \[basic\]/],
    ["no [basic] section", "[global]\nak = A\nsk = s-0123456789\n", /has no \[basic\] section/],
    [
      "an empty [basic]",
      "[basic]\nproject_id = p\n",
      /neither ak and sk nor idp_id and id_token_file/,
    ],
    ["idp_id without id_token_file", "[basic]\nidp_id = gh\n", /idp_id .* without id_token_file/],
    [
      "two [basic] sections (not merged)",
      "[basic]\nak = PROFILEAK\n[other]\nx = 1\n [basic] ; again\nsk = s-0123456789\n",
      /has 2 \[basic\] sections \(lines 1, 5\); keep one/,
    ],
  ];
  for (const [name, text, expected] of halfProfiles) {
    it(`refuses a profile file with ${name}, naming the file`, async () => {
      const file = await profile(text);
      const err = failure({ ...ENDPOINT, HOME: home, HW_PROJECT_ID: PROJECT });
      assert.ok(err instanceof DrsCredentialsError);
      assert.match(err.message, expected);
      assert.ok(err.message.includes(file), err.message);
    });
  }

  it("reads federation from the profile file: idp_id, id_token_file, iam_endpoint, project_id", async () => {
    await profile(
      `[basic]\nidp_id = gitlab\nid_token_file = /run/oidc/token\niam_endpoint = http://127.0.0.1:9\nproject_id = ${PROJECT}\n`,
    );
    const s = resolveSettings({ env: { ...ENDPOINT, HOME: home } });
    assert.deepEqual(s.credentials, {
      kind: "federation",
      idpId: "gitlab",
      idTokenFile: "/run/oidc/token",
      iamEndpoint: "http://127.0.0.1:9",
    });
    assert.match(s.credentialSource, /^OIDC federation \(the profile file .*credentials\)$/);
    assert.equal(s.projectId, PROJECT);
  });

  it("warns when group or others may read the profile file, and not once it is 0600", async () => {
    const file = await profile("[basic]\nak = PROFILEAK\nsk = profile-secret-0123\n", 0o644);
    const warnings: string[] = [];
    const env = { ...ENDPOINT, HOME: home, HW_PROJECT_ID: PROJECT };
    resolveSettings({ env, onWarning: (m) => warnings.push(m) });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /readable by group or others \(mode 0644\); run: chmod 600/);
    assert.ok(warnings[0].includes(file));
    await chmod(file, 0o600);
    warnings.length = 0;
    resolveSettings({ env, onWarning: (m) => warnings.push(m) });
    assert.deepEqual(warnings, []);
  });

  it("never reads a profile file when the environment given has no home", async () => {
    await profile("[basic]\nak = PROFILEAK\n");
    assert.match(failure({ ...ENDPOINT, HW_PROJECT_ID: PROJECT }).message, /no credentials/);
  });

  it("takes an IdP id and ID token file as federation, ahead of SDK AK/SK", () => {
    const s = resolveSettings({
      env: {
        ...ENDPOINT,
        HUAWEICLOUD_SDK_IDP_ID: "github",
        HUAWEICLOUD_SDK_ID_TOKEN_FILE: "/run/token",
        HUAWEICLOUD_SDK_IAM_ENDPOINT: "http://127.0.0.1:9",
        HUAWEICLOUD_SDK_AK: "SDKAK",
        HUAWEICLOUD_SDK_SK: SDK_SK,
        HUAWEICLOUD_SDK_PROJECT_ID: PROJECT,
      },
    });
    assert.deepEqual(s.credentials, {
      kind: "federation",
      idpId: "github",
      idTokenFile: "/run/token",
      iamEndpoint: "http://127.0.0.1:9",
    });
    assert.equal(s.projectId, PROJECT);
    const half = failure({ ...ENDPOINT, HW_PROJECT_ID: PROJECT, HUAWEICLOUD_SDK_IDP_ID: "github" });
    assert.ok(half instanceof DrsCredentialsError);
    assert.match(
      half.message,
      /HUAWEICLOUD_SDK_IDP_ID is set without HUAWEICLOUD_SDK_ID_TOKEN_FILE/,
    );
  });

  it("takes ECS metadata only when asked, with the endpoint override checked", () => {
    const env = { ...ENDPOINT, HW_PROJECT_ID: PROJECT };
    const asked = resolveSettings({ env: { ...env, HW_CREDENTIAL_SOURCE: "ecs-metadata" } });
    assert.deepEqual(asked.credentials, {
      kind: "ecs-metadata",
      // Resolved only: the default is named, never contacted (the guard in ecs-metadata.test.ts).
      metadataEndpoint: DEFAULT_ECS_METADATA_ENDPOINT,
    });
    const viaConfig = resolveSettings({
      env: { ...env, HW_ECS_METADATA_ENDPOINT: "http://127.0.0.1:9/" },
      credentialSource: "ecs-metadata",
    });
    assert.deepEqual(viaConfig.credentials, {
      kind: "ecs-metadata",
      metadataEndpoint: "http://127.0.0.1:9",
    });
    assert.match(
      failure({ ...env, HW_CREDENTIAL_SOURCE: "imds" }).message,
      /"imds" is not a credential source/,
    );
    assert.match(
      failure({
        ...env,
        HW_CREDENTIAL_SOURCE: "ecs-metadata",
        HW_ECS_METADATA_ENDPOINT: "http://metadata.example",
      }).message,
      /must use https/,
    );
    assert.match(
      failure({
        ...env,
        HW_CREDENTIAL_SOURCE: "ecs-metadata",
        HW_ACCESS_KEY: "A",
        HW_SECRET_KEY: "s-0123456789",
      }).message,
      /contradictory credentials/,
    );
  });

  it("leaves the project id to a lookup when a region and keys are known, and not for a token", () => {
    const keys = {
      ...ENDPOINT,
      HW_REGION_NAME: "cn-north-4",
      HUAWEICLOUD_SDK_AK: "A",
      HUAWEICLOUD_SDK_SK: SDK_SK,
    };
    const s = resolveSettings({ env: keys });
    assert.equal(s.projectId, undefined);
    assert.equal(s.projectIdSource, "looked up in IAM by the region cn-north-4");
    assert.equal(s.iamEndpoint, "https://iam.cn-north-4.myhuaweicloud.com");
    const token = failure({
      ...ENDPOINT,
      HW_REGION_NAME: "cn-north-4",
      HW_AUTH_TOKEN: "t-0123456789",
    });
    assert.match(token.message, /no project id: set HW_PROJECT_ID/);
  });
});
