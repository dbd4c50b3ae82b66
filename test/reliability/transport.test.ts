// Transport safety: TLS verification stays on, plain http only to this machine, redirects are
// never followed (credentials would travel), response bodies are capped, and the HTTP library
// is not a known-bad release.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { DrsApiError, DrsClient } from "../../src/api";
import { resolveSettings } from "../../src/api/settings";
import { waitForJobs, WaitTimeoutError } from "../../src/wait";
import { SECRETS } from "./support";
import { SELF_SIGNED_CERT, SELF_SIGNED_KEY } from "./self-signed";

const repo = path.resolve(__dirname, "../..");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

const quick = { retry: { minTimeout: 5, maxTimeout: 20 }, requestTimeout: "2s", env: {} };

describe("reliability: transport safety", function () {
  this.timeout(20_000);

  it("no source turns TLS verification off", () => {
    const forbidden =
      /rejectUnauthorized\s*:\s*false|NODE_TLS_REJECT_UNAUTHORIZED|checkServerIdentity|insecureHTTPParser|secureOptions/;
    for (const file of filesUnder(path.join(repo, "src")).filter((f) => f.endsWith(".ts"))) {
      const text = readFileSync(file, "utf8");
      assert.doesNotMatch(text, forbidden, path.relative(repo, file));
      // The one insecure channel allowed: gRPC to the local Pulumi engine (engine-log.ts).
      if (/createInsecure/.test(text)) assert.match(file, /src\/pulumi\/engine-log\.ts$/);
    }
  });

  it("refuses an https endpoint with a self-signed certificate, sending it no credentials", async () => {
    const seen: IncomingMessage[] = [];
    const server = createHttpsServer(
      { key: SELF_SIGNED_KEY, cert: SELF_SIGNED_CERT },
      (req, res) => {
        seen.push(req);
        res.end("{}");
      },
    );
    const host = await listen(server as unknown as Server);
    try {
      const client = new DrsClient({
        ...quick,
        endpoint: `https://${host}`,
        projectId: "p",
        authToken: SECRETS.token,
        maxRetries: 1,
      });
      const err = await client.batchStatus(["a"]).catch((e: unknown) => e);
      assert.ok(err instanceof DrsApiError, String(err));
      assert.match(err.message, /DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate/);
      assert.match(err.message, /TLS certificate is not trusted/);
      // Permanent: not retried, and a wait fails at once instead of polling to its timeout.
      assert.equal(err.attempts, 1);
      assert.equal(err.retryable, false);
      const wait = await waitForJobs(["a"], {
        client,
        timeout: "60s",
        pollInterval: "1s",
      }).catch((e: unknown) => e);
      assert.ok(wait instanceof DrsApiError && !(wait instanceof WaitTimeoutError), String(wait));
      assert.equal(seen.length, 0, "no request got through the handshake");
    } finally {
      await close(server as unknown as Server);
    }
  });

  it("allows plain http only to loopback, for DRS and for IAM", () => {
    const base = { projectId: "p", env: {} };
    for (const endpoint of [
      "http://example.com",
      "http://drs.cn-north-4.myhuaweicloud.com",
      "http://127.0.0.1.nip.io",
      "http://localhost.example.com",
      "http://10.0.0.1",
    ]) {
      assert.throws(
        () => resolveSettings({ ...base, endpoint, authToken: "t" }),
        /must use https/,
        endpoint,
      );
      assert.throws(
        () =>
          resolveSettings({
            ...base,
            endpoint: "https://drs.x.test",
            userName: "u",
            password: "p",
            domainName: "d",
            iamEndpoint: endpoint,
          }),
        /IAM endpoint .* must use https/,
        endpoint,
      );
    }
    for (const endpoint of ["http://127.0.0.1:8787", "http://localhost:1", "http://[::1]:2"])
      assert.doesNotThrow(() => resolveSettings({ ...base, endpoint, authToken: "t" }));
  });

  describe("redirects are never followed, so credentials never reach another host", () => {
    let target: Server;
    let targetHost: string;
    const targetSaw: IncomingMessage[] = [];
    before(async () => {
      target = createServer((req, res) => {
        targetSaw.push(req);
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end('{"results":[],"count":0}');
      });
      targetHost = await listen(target);
    });
    after(() => close(target));

    for (const status of [301, 302, 303, 307, 308]) {
      it(`${status} from DRS or IAM: an error naming the redirect; the other host sees nothing`, async () => {
        const redirector = createServer((req, res) => {
          res.writeHead(status, { Location: `http://${targetHost}${req.url}` });
          res.end();
        });
        const host = await listen(redirector);
        try {
          for (const credentials of [
            { authToken: SECRETS.token },
            { accessKey: SECRETS.accessKey, secretKey: SECRETS.secretKey },
            {
              userName: SECRETS.userName,
              password: SECRETS.password,
              domainName: SECRETS.domainName,
              iamEndpoint: `http://${host}`,
            },
          ]) {
            const client = new DrsClient({
              ...quick,
              endpoint: `http://${host}`,
              projectId: "p",
              ...credentials,
            });
            const err = await client.batchStatus(["a"]).catch((e: unknown) => e);
            assert.ok(err instanceof DrsApiError, String(err));
            assert.equal(err.httpStatus, status);
            assert.match(err.message, /Redirects are not followed/);
          }
          assert.equal(targetSaw.length, 0, "the second server never received a request");
        } finally {
          await close(redirector);
        }
      });
    }
  });

  it("caps a response body that never ends: a clear error, and it stops reading", async () => {
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, "x");
    const server = createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write('{"results":[],"pad":"');
      const pump = () => {
        // Up to 200 MiB, no Content-Length: only the client's cap can end it early.
        while (sent < 200 * 1024 * 1024 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end('"}');
      };
      pump();
    });
    const host = await listen(server);
    try {
      const client = new DrsClient({
        ...quick,
        requestTimeout: "15s",
        endpoint: `http://${host}`,
        projectId: "p",
        authToken: SECRETS.token,
      });
      const err = await client.batchStatus(["a"]).catch((e: unknown) => e);
      assert.ok(err instanceof DrsApiError, String(err));
      assert.match(err.message, /larger than 5242880 bytes/);
      assert.equal(err.retryable, false);
      assert.ok(sent < 64 * 1024 * 1024, `the server got to write ${sent} bytes`);
    } finally {
      await close(server);
    }
  });

  it("the locked axios is not a known-bad release", () => {
    // 1.14.1: the release named in the issue. Below 1.12.0: unbounded data: URIs (CVE-2025-58754)
    // and absolute-URL SSRF (CVE-2025-27152) are not fixed.
    const DENYLIST = ["1.14.1"];
    const lock = JSON.parse(readFileSync(path.join(repo, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string }>;
    };
    const axios = Object.entries(lock.packages).filter(([name]) =>
      /(^|\/)node_modules\/axios$/.test(name),
    );
    assert.ok(axios.length >= 1, "axios is in the lockfile");
    for (const [name, { version }] of axios) {
      assert.ok(version && !DENYLIST.includes(version), `${name}@${version} is denylisted`);
      const [major, minor] = version.split(".").map(Number);
      assert.ok(major > 1 || (major === 1 && minor >= 12), `${name}@${version} is too old`);
    }
  });
});
