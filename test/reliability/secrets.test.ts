// Secrets stay secret when things go wrong: a server that echoes every header and body it
// receives back in its error answers, for each credential mode, and everything a user or a
// log could see (messages, stacks, util.inspect, JSON, the CLI's output) is searched for them.
// The Pulumi side (state, __provider, `pulumi up -v=9`) is in pulumi.test.ts.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { DrsClient, type DrsClientOptions } from "../../src/api";
import { waitForJobs } from "../../src/wait";
import { cliEnv, drsJobs, SECRETS } from "./support";
import type { Simulator } from "../../src/sim";

const SECURITY_TOKEN = "rel-security-token-31f0aa9c";
const ISSUED_IAM_TOKEN = "rel-issued-iam-token-88d2e6";
// What temporary sources read or are handed: each must stay as hidden as a long-lived secret.
const ID_TOKEN = "rel-oidc-id-token-4be19f0c2d";
const UNSCOPED_IAM_TOKEN = "rel-unscoped-iam-token-a7c35e";
const METADATA_SESSION_TOKEN = "rel-metadata-session-token-90d1";
const TEMPORARY_SK = "rel-temporary-secret-key-3e8b7a";
const TEMPORARY_SECURITY_TOKEN = "rel-temporary-security-token-c41f";
const ALL = [
  SECRETS.token,
  SECRETS.secretKey,
  SECRETS.password,
  SECURITY_TOKEN,
  ISSUED_IAM_TOKEN,
  ID_TOKEN,
  UNSCOPED_IAM_TOKEN,
  METADATA_SESSION_TOKEN,
  TEMPORARY_SK,
  TEMPORARY_SECURITY_TOKEN,
];
const TEMPORARY_CREDENTIAL = JSON.stringify({
  credential: {
    access: "RELTEMPORARYAK0123456",
    secret: TEMPORARY_SK,
    securitytoken: TEMPORARY_SECURITY_TOKEN,
    expires_at: "2999-01-01T00:00:00.000000Z",
  },
});

/**
 * What the echo server answers DRS calls with. IAM and metadata calls succeed unless
 * `iamStatus` (the password, ID token and session token calls) or `keysStatus` (the temporary
 * key calls) say otherwise; then they echo what they received too.
 */
interface EchoPlan {
  status: number;
  shape: "json-error" | "html" | "malformed";
  iamStatus?: number;
  keysStatus?: number;
}

class EchoServer {
  plan: EchoPlan = { status: 500, shape: "json-error" };
  readonly server: Server;
  url = "";

  constructor() {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        const echo = `headers=${JSON.stringify(req.headers)} body=${body}`;
        const echoError = (status: number) => {
          res.writeHead(status, { "Content-Type": "application/json" });
          res.end(JSON.stringify({ error: { code: "IAM.0004", message: echo } }));
        };
        if (req.url === "/v3.0/OS-AUTH/id-token/tokens") {
          if (this.plan.iamStatus) return echoError(this.plan.iamStatus);
          res.writeHead(201, { "X-Subject-Token": UNSCOPED_IAM_TOKEN });
          return res.end(JSON.stringify({ token: { expires_at: "2999-01-01T00:00:00Z" } }));
        }
        if (req.url === "/meta-data/latest/api/token") {
          if (this.plan.iamStatus) return echoError(this.plan.iamStatus);
          res.writeHead(200, { "Content-Type": "text/plain" });
          return res.end(METADATA_SESSION_TOKEN);
        }
        if (
          req.url === "/v3.0/OS-CREDENTIAL/securitytokens" ||
          req.url === "/openstack/latest/securitykey"
        ) {
          if (this.plan.keysStatus) return echoError(this.plan.keysStatus);
          res.writeHead(200, { "Content-Type": "application/json" });
          return res.end(TEMPORARY_CREDENTIAL);
        }
        if (req.url === "/v3/auth/tokens") {
          const status = this.plan.iamStatus ?? 201;
          res.writeHead(status, {
            "Content-Type": "application/json",
            ...(status === 201 && { "X-Subject-Token": ISSUED_IAM_TOKEN }),
          });
          res.end(
            status === 201
              ? JSON.stringify({ token: { expires_at: "2999-01-01T00:00:00Z" } })
              : JSON.stringify({ error: { code: "IAM.0004", message: echo } }),
          );
          return;
        }
        const { status, shape } = this.plan;
        res.writeHead(status, { "Content-Type": "application/json", "X-Request-Id": "r1" });
        if (shape === "json-error") res.end(JSON.stringify({ error_code: "X.1", error_msg: echo }));
        else if (shape === "html") res.end(`<html>${echo}</html>`);
        else res.end(`{"results": [ ${echo}`);
      });
    });
  }

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

function assertNoSecret(what: string, text: string) {
  for (const secret of ALL) {
    const at = text.indexOf(secret);
    assert.equal(at, -1, `${what} leaks: …${text.slice(Math.max(0, at - 80), at + 40)}…`);
  }
}

/** Every way an error or a client reaches a person or a log. */
function views(value: unknown): Record<string, string> {
  const err = value as Error & { cause?: unknown };
  return {
    String: String(value),
    message: err?.message ?? "",
    stack: err?.stack ?? "",
    inspect: inspect(value, { depth: 20, showHidden: true }),
    JSON: JSON.stringify(value) ?? "",
    cause: inspect(err?.cause, { depth: 20 }),
  };
}

describe("reliability: secrets never leak, even from errors", function () {
  this.timeout(60_000);
  const echo = new EchoServer();
  let dir: string;
  let idTokenFile: string;
  before(async () => {
    await echo.start();
    dir = await mkdtemp(join(tmpdir(), "drs-secrets-"));
    idTokenFile = join(dir, "id-token");
    await writeFile(idTokenFile, ID_TOKEN);
  });
  after(async () => {
    await echo.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const temporaryEnv = (): Record<string, Record<string, string>> => ({
    "OIDC federation": {
      HUAWEICLOUD_SDK_IDP_ID: "rel-idp",
      HUAWEICLOUD_SDK_ID_TOKEN_FILE: idTokenFile,
      HUAWEICLOUD_SDK_IAM_ENDPOINT: echo.url,
    },
    "ECS metadata": { HW_CREDENTIAL_SOURCE: "ecs-metadata", HW_ECS_METADATA_ENDPOINT: echo.url },
  });

  const modes: Record<string, Omit<DrsClientOptions, "targetStatuses">> = {
    token: { authToken: SECRETS.token },
    "AK/SK with a security token": {
      accessKey: SECRETS.accessKey,
      secretKey: SECRETS.secretKey,
      securityToken: SECURITY_TOKEN,
    },
    "IAM user/password": {
      userName: SECRETS.userName,
      password: SECRETS.password,
      domainName: SECRETS.domainName,
    },
  };
  const plans: EchoPlan[] = [
    { status: 500, shape: "json-error" },
    { status: 502, shape: "html" },
    { status: 400, shape: "json-error" },
    { status: 401, shape: "json-error" },
    { status: 403, shape: "html" },
    { status: 200, shape: "html" },
    { status: 200, shape: "malformed" },
    { status: 200, shape: "json-error", iamStatus: 401 },
    { status: 200, shape: "json-error", iamStatus: 500 },
    { status: 200, shape: "json-error", keysStatus: 401 },
    { status: 200, shape: "json-error", keysStatus: 500 },
  ];
  const exchanges = (mode: string) =>
    mode === "IAM user/password" || mode === "OIDC federation" || mode === "ECS metadata";

  for (const mode of [...Object.keys(modes), "OIDC federation", "ECS metadata"]) {
    it(`${mode}: errors echoing every header and body hold no secret`, async () => {
      // Failed exchanges first: temporary keys, once had, are kept for the process.
      const ordered = [...plans].sort(
        (a, b) => Number(!(a.iamStatus ?? a.keysStatus)) - Number(!(b.iamStatus ?? b.keysStatus)),
      );
      for (const plan of ordered) {
        if (plan.iamStatus && !exchanges(mode)) continue;
        if (plan.keysStatus && mode !== "OIDC federation" && mode !== "ECS metadata") continue;
        const credentials = modes[mode] ?? { env: temporaryEnv()[mode] };
        echo.plan = plan;
        const client = new DrsClient({
          endpoint: echo.url,
          iamEndpoint: echo.url,
          projectId: "p",
          env: {},
          maxRetries: 1,
          retry: { minTimeout: 5, maxTimeout: 10 },
          ...credentials,
        });
        const err = await client.batchStatus(["a"]).catch((e: unknown) => e);
        assert.ok(err instanceof Error, `${JSON.stringify(plan)} must fail`);
        for (const [view, text] of Object.entries(views(err)))
          assertNoSecret(`${mode} ${JSON.stringify(plan)} ${view}`, text);
        for (const [view, text] of Object.entries(views(client)))
          assertNoSecret(`${mode} client ${view}`, text);
        // Not a blank: the echo is quoted, redacted.
        if (plan.status !== 401 && plan.status !== 403 && !plan.iamStatus && !plan.keysStatus)
          assert.match(err.message, /\[redacted\]|headers=/);
      }
    });
  }

  it("a wait that times out on echoed 5xx quotes the last failure without secrets", async () => {
    echo.plan = { status: 503, shape: "json-error" };
    const err = await waitForJobs(["a"], {
      endpoint: echo.url,
      projectId: "p",
      env: {},
      ...modes.token,
      maxRetries: 0,
      timeout: "600ms",
      pollInterval: "100ms",
    }).catch((e: unknown) => e);
    assert.match(String(err), /the last poll failed: DRS batch-status HTTP 503/);
    for (const [view, text] of Object.entries(views(err))) assertNoSecret(view, text);
  });

  it("drs-jobs status and wait print no secret on echoed errors", async () => {
    const fakeSim = { url: echo.url, projectId: "p" } as Simulator;
    for (const plan of [plans[0], plans[5], plans[6], plans[9]]) {
      echo.plan = plan;
      for (const env of [
        cliEnv(fakeSim, { HW_MAX_RETRIES: "0" }),
        cliEnv(fakeSim, {
          HW_MAX_RETRIES: "0",
          HW_AUTH_TOKEN: undefined,
          HW_USER_NAME: SECRETS.userName,
          HW_USER_PASSWORD: SECRETS.password,
          HW_DOMAIN_NAME: SECRETS.domainName,
          HW_AUTH_URL: echo.url,
        }),
        ...Object.values(temporaryEnv()).map((extra) =>
          cliEnv(fakeSim, { HW_MAX_RETRIES: "0", HW_AUTH_TOKEN: undefined, HOME: dir, ...extra }),
        ),
      ]) {
        const run = await drsJobs(["wait", "--timeout", "1s", "--interval", "200ms", "a"], env);
        assert.ok(run.code !== 0, `exit ${run.code}`);
        assertNoSecret(`drs-jobs ${JSON.stringify(plan)}`, run.stdout + run.stderr);
      }
    }
  });
});
