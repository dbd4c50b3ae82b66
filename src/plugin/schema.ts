// The `drs` package schema, built from spec.ts (the one description of our properties). The
// plugin serves it from GetSchema; `npm run schema` writes it to schema.json, which SDK
// generators and readers use, and the schema test fails when the two differ.
import {
  COMPARISON_SUMMARY,
  JOB_ENTRY,
  JOB_INPUTS,
  JOB_STATUS_OUTPUTS,
  PROVIDER_CONFIG,
  WAIT_INPUTS,
  WAITER_OUTPUTS,
  type InputSpec,
  type PropertySpec,
} from "../pulumi/spec";
import { REPOSITORY } from "../util/package-info";

export const PACKAGE = "drs";
export const JOB_STATUS_TYPE = "drs:index:JobStatus";
export const JOB_WAITER_TYPE = "drs:index:JobWaiter";

/**
 * Where the engine downloads the plugin when a program needs it: the GitHub release tagged
 * v<version> of our repository, whose assets are the archives `npm run release` makes.
 * (`PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES` points elsewhere, e.g. at a mirror.)
 */
export const PLUGIN_DOWNLOAD_URL = `github://api.github.com/${REPOSITORY.owner}/${REPOSITORY.name}`;
/** The Go SDK's module (sdk/go in our repository), so that `go get` can fetch it. */
export const GO_MODULE = `github.com/${REPOSITORY.owner}/${REPOSITORY.name}/sdk/go`;

type Properties = Record<string, PropertySpec>;
type Inputs = Record<string, InputSpec>;

/** Schema properties: our spec minus the keys only our own code reads. */
function properties(specs: Properties | Inputs): Record<string, object> {
  return Object.fromEntries(
    Object.entries(specs).map(([key, spec]) => {
      const {
        gates: _gates,
        set: _set,
        required: _required,
        duration: _duration,
        values: _values,
        ...property
      } = spec as InputSpec;
      return [key, property];
    }),
  );
}

function resource(description: string, inputs: Inputs, outputs: Properties) {
  const required = Object.keys(inputs).filter((key) => inputs[key].required === true);
  return {
    description,
    inputProperties: properties(inputs),
    requiredInputs: required,
    properties: properties({ ...inputs, ...outputs }),
    required: [...required, ...Object.keys(outputs)],
  };
}

export function buildSchema(version: string) {
  return {
    name: PACKAGE,
    displayName: "Huawei Cloud DRS jobs",
    version,
    description:
      "Gate cutovers on Huawei Cloud DRS migration jobs: record job statuses, and wait until jobs are ready.",
    keywords: ["huaweicloud", "drs", "migration", "category/database"],
    license: "Apache-2.0",
    repository: `https://github.com/${REPOSITORY.owner}/${REPOSITORY.name}`,
    pluginDownloadURL: PLUGIN_DOWNLOAD_URL,
    config: { variables: properties(PROVIDER_CONFIG) },
    provider: {
      description: "The drs provider: where DRS is and the credentials to use.",
      inputProperties: properties(PROVIDER_CONFIG),
    },
    types: {
      "drs:index:JobStatusEntry": {
        type: "object",
        description: "One DRS job as reported, judged against the resource's target statuses.",
        properties: properties(JOB_ENTRY),
        required: ["id", "phase"],
      },
      "drs:index:ComparisonSummary": {
        type: "object",
        description: "One DRS data comparison a gate ran or adopted for a job.",
        properties: properties(COMPARISON_SUMMARY),
        required: ["kind", "status", "tablesCompared", "tablesInconsistent"],
      },
    },
    resources: {
      [JOB_STATUS_TYPE]: resource(
        "The statuses of DRS jobs recorded in the stack; `pulumi refresh` re-reads them and shows drift.",
        JOB_INPUTS,
        JOB_STATUS_OUTPUTS,
      ),
      [JOB_WAITER_TYPE]: resource(
        "A cutover gate: create and update wait until every job is in a target status (never in preview), " +
          "so resources that depend on it change only once the jobs are ready. A failed job fails the update.",
        { ...JOB_INPUTS, ...WAIT_INPUTS },
        WAITER_OUTPUTS,
      ),
    },
    language: {
      go: { importBasePath: `${GO_MODULE}/drs`, respectSchemaVersion: true },
      python: {
        packageName: "pulumi_drs",
        requires: { pulumi: ">=3.0.0,<4.0.0" },
        respectSchemaVersion: true,
        pyproject: { enabled: true },
      },
      nodejs: { packageName: "@pulumi-drs-jobs/drs" },
    },
  };
}

/** schema.json as written to disk. */
export function schemaText(version: string): string {
  return `${JSON.stringify(buildSchema(version), null, 2)}\n`;
}
