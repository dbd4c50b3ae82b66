// One mocha run for the whole suite: unit, integration (HTTP to the simulator) and
// end-to-end (the real pulumi CLI). TypeScript is loaded by tsx.
module.exports = {
  // The spec list is given on the command line (scripts/test defaults to test/**/*.test.ts),
  // so `npx mocha test/wait` runs just that folder.
  import: "tsx",
  // Fails the run when a test left a Pulumi program or plugin home inside the repository.
  require: ["./test/support/repo-guard.ts"],
  extension: ["ts"],
  recursive: true,
  reporter: "./test/support/summary-reporter.cjs",
  timeout: 20000,
  exit: true,
};
