// Benchmark stack: minimal.ts's resource returning what a JobStatus records (`jobs`, `statuses`,
// `statusesAtLastUpdate`, same shapes and values as the simulator gives job-status.ts), still
// with no I/O: what Pulumi itself charges for that state, without any of this package's code.
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config("bench");
const resources = config.requireNumber("resources");
const perResource = config.requireNumber("jobsPerResource");
const jobId = (i: number) => `bench-${String(i).padStart(6, "0")}`;
const STATUS = "FULL_TRANSFER_STARTED";

const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    const ids: string[] = inputs.jobIds;
    const jobs = ids.map((id) => ({ id, status: STATUS, phase: "pending" }));
    const statuses = Object.fromEntries(ids.map((id) => [id, STATUS]));
    return { id: "minimal", outs: { ...inputs, jobs, statuses, statusesAtLastUpdate: statuses } };
  },
};

class MinimalWithOutputs extends pulumi.dynamic.Resource {
  constructor(name: string, props: pulumi.Inputs) {
    super(provider, name, props, undefined, "bench", "MinimalWithOutputs");
  }
}

for (let r = 0; r < resources; r++) {
  const jobIds = Array.from({ length: perResource }, (_, j) => jobId(r * perResource + j));
  // Declared like JobStatus's outputs: the program gets an Output for each.
  new MinimalWithOutputs(`minimal-${r}`, {
    jobIds,
    jobs: undefined,
    statuses: undefined,
    statusesAtLastUpdate: undefined,
  });
}
