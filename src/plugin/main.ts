// pulumi-resource-drs: the `drs` provider plugin, served with @pulumi/pulumi/provider's `main`.
// The engine starts it with its own address as the argument; `main` prints the port it serves.
import * as grpc from "@grpc/grpc-js";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { main } from "@pulumi/pulumi/provider";
import { logToEngine, useEngineModules } from "../pulumi/engine-log";
import { PACKAGE_VERSION } from "../util/package-info";
import { stackConfigFrom, type StackConfig } from "../pulumi/operations";
import { Cancellation } from "./cancellation";
import { drsProvider } from "./provider";
import { schemaText } from "./schema";

let config: StackConfig = {};
const cancellation = new Cancellation();

type Handler = (
  call: { request: unknown },
  callback: (err: unknown, resp?: unknown) => void,
) => void;

/**
 * The SDK's server answers Configure without handing the configuration to the provider, so we
 * answer it ourselves: the `drs:*` stack config arrives as `drs:config:<key>` variables, secrets
 * already decrypted. We accept no secrets or resources as inputs: the engine passes plain
 * values and marks outputs secret where their inputs were.
 */
const configure: Handler = (call, callback) => {
  const request = call.request as provproto.ConfigureRequest;
  const variables = request.getVariablesMap();
  config = stackConfigFrom((key) => variables.get(key.replace(/^drs:/, "drs:config:")));
  const response = new provproto.ConfigureResponse();
  response.setAcceptsecrets(false);
  response.setAcceptresources(false);
  callback(null, response);
};

/** Swaps our Configure into the provider service `main` registers (its server is not exported). */
function interceptConfigure(): void {
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (service, implementation) {
    grpc.Server.prototype.addService = addService;
    if ("configure" in service) Object.assign(implementation, { configure });
    return addService.call(this, service, implementation);
  };
}

async function run(): Promise<void> {
  // The engine holds our stdin open while it runs: its end means the engine is gone (killed
  // outright), nothing will call us again, and an orphaned plugin would poll DRS forever.
  const engineGone = () => {
    cancellation.engineGone();
    setTimeout(() => process.exit(1), 100);
  };
  process.stdin.on("end", engineGone);
  process.stdin.on("error", engineGone);
  process.stdin.resume();
  useEngineModules({ grpc, enginePb, engineRpc } as never);
  interceptConfigure();
  const version = PACKAGE_VERSION;
  await main(
    drsProvider({
      version,
      schema: schemaText(version),
      config: () => config,
      log: logToEngine,
      signal: cancellation.signal,
      cancel: () => cancellation.cancel(),
    }),
    process.argv.slice(2),
  );
}

void run();
