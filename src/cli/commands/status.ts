import type { Command } from "commander";

// Placeholder: registered so the command exists; implemented in its own issue.
export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("not implemented yet")
    .action(() => {
      throw new Error("drs-jobs status is not implemented yet");
    });
}
