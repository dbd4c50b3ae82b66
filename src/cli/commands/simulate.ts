import type { Command } from "commander";

// Placeholder: registered so the command exists; implemented in its own issue.
export function registerSimulate(program: Command): void {
  program
    .command("simulate")
    .description("not implemented yet")
    .action(() => {
      throw new Error("drs-jobs simulate is not implemented yet");
    });
}
