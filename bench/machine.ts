// What the numbers were measured on: they mean little without it.
import { execFileSync } from "node:child_process";
import os from "node:os";
import { fmt } from "./table";

export interface Machine {
  cpu: string;
  cores: number;
  memory: string;
  os: string;
  node: string;
  pulumi: string;
  date: string;
  loadAverage: string;
}

function pulumiVersion(): string {
  try {
    return execFileSync("pulumi", ["version"], { encoding: "utf8", stdio: "pipe" }).trim();
  } catch {
    return "not on PATH";
  }
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memory: `${fmt(os.totalmem() / 1024 ** 3, 1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    pulumi: pulumiVersion(),
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    loadAverage: os
      .loadavg()
      .map((load) => fmt(load, 2))
      .join(", "),
  };
}

export function machineMarkdown(machine: Machine, mode: string): string {
  return [
    `- **Date**: ${machine.date} (${mode})`,
    `- **CPU**: ${machine.cpu}, ${machine.cores} cores`,
    `- **Memory**: ${machine.memory}`,
    `- **OS**: ${machine.os}`,
    `- **Node.js**: ${machine.node}`,
    `- **Pulumi CLI**: ${machine.pulumi}`,
    `- **Load average at start** (1, 5, 15 min): ${machine.loadAverage}`,
  ].join("\n");
}
