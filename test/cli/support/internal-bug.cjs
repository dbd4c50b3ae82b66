// Preloaded (node --require) into a `drs-jobs` child by test/cli/exit-codes.test.ts: makes the
// command hit a bug of the kind exit 70 exists for (a TypeError from deep inside), so the
// test can see how the real entry point reports it. Nothing else is changed.
const { Command } = require("commander");

Command.prototype.parseAsync = async function parseAsync() {
  throw new TypeError("Cannot read properties of undefined (reading 'jobs') [planted by a test]");
};
