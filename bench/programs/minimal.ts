// Benchmark stack: the same shape as job-status.ts with the smallest possible dynamic resource,
// an inline provider that does no I/O and returns its inputs.
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config("bench");
const resources = config.requireNumber("resources");
const perResource = config.requireNumber("jobsPerResource");
const jobId = (i: number) => `bench-${String(i).padStart(6, "0")}`;

const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: "minimal", outs: inputs };
  },
};

class Minimal extends pulumi.dynamic.Resource {
  constructor(name: string, props: pulumi.Inputs) {
    super(provider, name, props, undefined, "bench", "Minimal");
  }
}

for (let r = 0; r < resources; r++) {
  const jobIds = Array.from({ length: perResource }, (_, j) => jobId(r * perResource + j));
  new Minimal(`minimal-${r}`, { jobIds });
}
