// Mocha's spec reporter plus the plain closing line CI reads: `N passed, N failed, N skipped`.
// The line is also written to $TEST_SUMMARY_FILE so scripts/test can print it last, after
// the coverage report. A run that executed no test fails.
"use strict";
const fs = require("node:fs");
const Mocha = require("mocha");

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once("end", () => {
      const { passes, failures, pending } = this.stats;
      const line = `${passes} passed, ${failures} failed, ${pending} skipped`;
      if (passes + failures === 0) {
        console.log("no test ran: that is a failure");
        process.exitCode = 1;
      }
      console.log(line);
      if (process.env.TEST_SUMMARY_FILE)
        fs.writeFileSync(process.env.TEST_SUMMARY_FILE, line + "\n");
    });
  }
}
module.exports = SummaryReporter;
