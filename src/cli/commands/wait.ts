import type { Command } from "commander";

// Placeholder: registered so the command exists; implemented in its own issue.
export function registerWait(program: Command): void {
  program
    .command("wait")
    .description("not implemented yet")
    .action(() => {
      throw new Error("drs-jobs wait is not implemented yet");
    });
}
