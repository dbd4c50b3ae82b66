// One mocha run for the whole suite: unit, integration (HTTP to the simulator) and
// end-to-end (the real pulumi CLI). TypeScript is loaded by tsx.
module.exports = {
  spec: ["test/**/*.test.ts"],
  import: "tsx",
  reporter: "./test/support/summary-reporter.cjs",
  timeout: 20000,
  exit: true,
};
