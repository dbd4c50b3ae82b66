// The smoke program: one dynamic resource whose provider runs in Pulumi's dynamic-provider
// plugin. `read` counts refreshes so a refresh is visible in the stack's state.
import * as pulumi from "@pulumi/pulumi";

interface SmokeInputs {
  message: string;
}

const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: SmokeInputs) {
    return { id: `smoke-${inputs.message}`, outs: { ...inputs, reads: 0 } };
  },
  async read(id: string, props: { reads?: number }) {
    return { id, props: { ...props, reads: (props.reads ?? 0) + 1 } };
  },
  async update(_id: string, _olds: SmokeInputs, news: SmokeInputs) {
    return { outs: { ...news, reads: 0 } };
  },
};

class Smoke extends pulumi.dynamic.Resource {
  declare readonly reads: pulumi.Output<number>;
  constructor(name: string, args: { message: pulumi.Input<string> }) {
    super(provider, name, { ...args, reads: undefined }, undefined, "smoke");
  }
}

const smoke = new Smoke("smoke", { message: new pulumi.Config().get("message") ?? "hello" });
export const id = smoke.id;
export const reads = smoke.reads;
