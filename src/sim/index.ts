// The DRS simulator as a library: `startSimulator()` for tests and benchmarks, the same
// server `drs-jobs simulate` runs. See README.md beside this file for the scenario format
// and the /_sim/ admin API.
import type { AddressInfo } from "node:net";
import { batchProgressPath, batchStatusPath } from "../api/wire";
import { createControls, SimInputError, type SimControls } from "./control";
import { parseScenario } from "./scenario";
import { createSimServer } from "./server";
import { createState } from "./state";
import { MAX_BODY_BYTES } from "./call";
import type { Scenario, ScenarioInput } from "./types";

export interface SimulatorOptions {
  /** Default 127.0.0.1: the simulator is a local test peer, not a service. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** A scenario as written in a file (validated), or one already parsed (e.g. bulk jobs). */
  scenario?: ScenarioInput | Scenario;
  /** Largest accepted request body; default 1 MiB like the gateway. */
  maxBodyBytes?: number;
  /** How many request-log entries are kept; default 10 000. */
  requestLogLimit?: number;
}

/** The running simulator: its address plus every admin control as a method. */
export interface Simulator extends SimControls {
  /** e.g. http://127.0.0.1:41234, no trailing slash; also the IAM endpoint (HW_AUTH_URL). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly projectId: string;
  /** The full batch-status URL for this project. */
  readonly batchStatusUrl: string;
  /** The full batch-progress URL for this project. */
  readonly batchProgressUrl: string;
  /** Stops listening and cuts every open connection (hung ones too). */
  stop(): Promise<void>;
}

function isParsed(scenario: ScenarioInput | Scenario): scenario is Scenario {
  const auth = (scenario as Scenario).auth;
  return (
    typeof auth === "object" && auth !== null && (auth as Scenario["auth"]).keys instanceof Map
  );
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const logLimit = options.requestLogLimit;
  // 0 is refused too: the log's trimming reads it as "keep everything".
  if (logLimit !== undefined && !(Number.isSafeInteger(logLimit) && logLimit >= 1)) {
    throw new SimInputError(`requestLogLimit: must be an integer >= 1 (got ${logLimit})`);
  }
  const input = options.scenario ?? {};
  const scenario = isParsed(input) ? input : parseScenario(input);
  const state = createState(
    scenario,
    options.maxBodyBytes ?? MAX_BODY_BYTES,
    options.requestLogLimit,
  );
  const controls = createControls(state);
  const server = createSimServer(state, controls);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let stopping: Promise<void> | undefined;

  return {
    ...controls,
    url,
    host,
    port,
    projectId: state.projectId,
    batchStatusUrl: url + batchStatusPath(state.projectId),
    batchProgressUrl: url + batchProgressPath(state.projectId),
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

export { parseScenario, loadScenarioFile, generateJobs, ScenarioError } from "./scenario";
export { SimInputError, type ClockView, type JobStatusChange, type JobView } from "./control";
export type { RequestCounters, RequestLogEntry, RequestKind, AuthMode } from "./stats";
export type { TemporaryKeysView } from "./temporary-keys";
export {
  EXAMPLE_PROJECT_ID,
  type AccessKeyInput,
  type AuthConfig,
  type AuthInput,
  type BodyFaultKind,
  type DataFaultKind,
  type EcsMetadataInput,
  type FederationInput,
  type ProjectInput,
  type Fault,
  type FaultEffect,
  type FaultInput,
  type FaultRoute,
  type IamInput,
  type JobInput,
  type Scenario,
  type ScenarioInput,
  type SimJob,
  type TaskMode,
  type TimelineStep,
  type TimelineStepInput,
} from "./types";
