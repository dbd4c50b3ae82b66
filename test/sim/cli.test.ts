// `drs-jobs simulate` as a real child process: the one stdout line, serving, clean exits.
import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path, { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { drsJobs } from "../support/drs-jobs";
import { EXAMPLE_JOBS, JOB_A, PROJECT_ID } from "./helpers";

const ROOT = resolve(__dirname, "../..");

interface Running {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function simulate(args: string[]): Promise<Running> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "simulate", ...args],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on("exit", (code, signal) => done({ code, signal })),
  );
  return new Promise((ready, fail) => {
    child.stdout!.on("data", (chunk) => {
      stdout += chunk;
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
      if (match) ready({ child, url: match[1], stdout: () => stdout, stderr: () => stderr, exit });
    });
    exit.then(({ code }) => fail(new Error(`exited ${code} before listening: ${stderr}`)));
  });
}

/** Runs `drs-jobs simulate ARGS` to its exit (for start-up failures). */
const startOnly = (args: string[]) => drsJobs(["simulate", ...args], process.env);

describe("cli: drs-jobs simulate", function () {
  this.timeout(30_000);
  let dir: string;
  let scenarioFile: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "sim-cli-"));
    scenarioFile = join(dir, "f.json");
    writeFileSync(
      scenarioFile,
      JSON.stringify({ projectId: PROJECT_ID, auth: { token: "demo-token" }, jobs: EXAMPLE_JOBS }),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`prints one line, serves the scenario, exits 0 on ${signal}`, async () => {
      const sim = await simulate(["--port", "0", "--scenario", scenarioFile]);
      try {
        const res = await fetch(`${sim.url}/v3/${PROJECT_ID}/jobs/batch-status`, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Auth-Token": "demo-token" },
          body: JSON.stringify({ jobs: [JOB_A] }),
        });
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), {
          results: [{ id: JOB_A, status: "FULL_TRANSFER_STARTED" }],
          count: 1,
        });
        const clock = await fetch(`${sim.url}/_sim/clock`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: '{"advance":"20s"}',
        });
        assert.equal(clock.status, 200);
      } finally {
        sim.child.kill(signal);
      }
      assert.deepEqual(await sim.exit, { code: 0, signal: null });
      assert.equal(sim.stdout(), `listening on ${sim.url}\n`);
      assert.match(
        sim.stderr(),
        /project 054ba152d480d55b2f5dc0069e7ddef0, 2 job\(s\), auth token/,
      );
      assert.ok(!sim.stderr().includes("demo-token"));
    });
  }

  it("runs without a scenario (no auth, no jobs)", async () => {
    const sim = await simulate(["--port", "0"]);
    const res = await fetch(`${sim.url}/v3/${PROJECT_ID}/jobs/batch-status`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ jobs: ["x"] }),
    });
    assert.equal(
      ((await res.json()) as { results: { error_code: string }[] }).results[0].error_code,
      "DRS.M00289",
    );
    sim.child.kill("SIGTERM");
    assert.equal((await sim.exit).code, 0);
    assert.doesNotMatch(sim.stderr(), /warning/);
  });

  it("exits 2 naming the field on an invalid scenario, printing nothing on stdout", async () => {
    writeFileSync(
      join(dir, "bad.json"),
      JSON.stringify({ jobs: [{ id: "a", timeline: [{ at: "x" }] }] }),
    );
    const result = await startOnly(["--port", "0", "--scenario", join(dir, "bad.json")]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /jobs\[0\]\.timeline\[0\]\.at: /);
  });

  it("warns on stderr when --host is not a loopback address", async () => {
    // 192.0.2.1 (TEST-NET-1) is on no interface here: the warning comes before the bind,
    // which then fails, so the test never listens beyond loopback.
    const result = await startOnly(["--host", "192.0.2.1", "--port", "0"]);
    assert.notEqual(result.code, 0);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /warning: --host 192\.0\.2\.1 is not a loopback address/);
  });

  it("--help names the simulator README by a path that exists", async () => {
    const result = await startOnly(["--help"]);
    assert.equal(result.code, 0);
    const readme = /Scenario format and admin API: (\S+)/.exec(result.stdout)?.[1];
    // Absolute, so it holds from any directory and inside node_modules/pulumi-drs-jobs.
    assert.ok(readme && path.isAbsolute(readme) && existsSync(readme), result.stdout);
    assert.match(readFileSync(readme, "utf8"), /## Admin API/);
  });

  it("exits 2 with one line when the port is in use", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const result = await startOnly(["--port", String(port)]);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, "");
      assert.equal(
        result.stderr,
        `drs-jobs simulate: cannot listen on 127.0.0.1 port ${port}: port ${port} is in use (choose another with --port, or --port 0 for any free port)\n`,
      );
    } finally {
      taken.close();
    }
  });

  it("exits 2 with one line when the scenario file is missing", async () => {
    const missing = join(dir, "no-such-scenario.json");
    const result = await startOnly(["--port", "0", "--scenario", missing]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^drs-jobs: cannot read scenario .*no-such-scenario\.json: ENOENT/);
    assert.equal(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
  });

  it("exits 2 naming --host when it does not resolve", async () => {
    // .invalid never resolves (RFC 2606): nothing is listened on beyond this machine.
    const result = await startOnly(["--host", "nonexistent.invalid", "--port", "0"]);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, "");
    const lines = result.stderr.trimEnd().split("\n");
    // The non-loopback warning, said before listening, then the reason on one line.
    assert.match(
      lines.at(-1)!,
      /^drs-jobs simulate: cannot listen on nonexistent\.invalid port 0: --host nonexistent\.invalid does not resolve \(E\w+\)$/,
    );
    assert.doesNotMatch(result.stderr, /internal error|\n\s+at /);
  });

  it("started through npx and sent SIGTERM, does not outlive npx holding the port", async () => {
    // A project where `npx drs-jobs` finds the command in node_modules/.bin, as after
    // `npm install pulumi-drs-jobs` (here a script running this checkout's sources).
    const project = join(dir, "npx-project");
    mkdirSync(join(project, "node_modules", ".bin"), { recursive: true });
    writeFileSync(join(project, "package.json"), '{"name":"npx-project","version":"1.0.0"}');
    const bin = join(project, "node_modules", ".bin", "drs-jobs");
    const tsx = pathToFileURL(require.resolve("tsx")).href;
    writeFileSync(
      bin,
      `#!/bin/sh\nexec "${process.execPath}" --import "${tsx}" "${join(ROOT, "src/cli/main.ts")}" "$@"\n`,
    );
    chmodSync(bin, 0o755);
    const npx = spawn("npx", ["--no-install", "drs-jobs", "simulate", "--port", "0"], {
      cwd: project,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = "";
      npx.stdout!.on("data", (chunk) => {
        stdout += chunk;
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
        if (match) resolve(match[1]);
      });
      npx.on("exit", (code) => reject(new Error(`npx exited ${code} before listening`)));
    });
    const listening = () =>
      fetch(`${url}/_sim/clock`).then(
        () => true,
        () => false,
      );
    assert.ok(await listening());
    const exited = new Promise((resolve) => npx.on("exit", resolve));
    npx.kill("SIGTERM");
    await exited;
    // No wall-clock bound: the test's own timeout fails it if the port stays held.
    while (await listening()) await new Promise((resolve) => setTimeout(resolve, 100));
  });

  it("exits 2 on a bad port", async () => {
    const result = await startOnly(["--port", "http"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /port/);
  });
});
