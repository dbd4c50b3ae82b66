// Load, bounded and on loopback: the simulator under hundreds of concurrent clients and the
// shared poller under hundreds of waiters. Asserts zero errors and the batching, never
// latencies (the numbers go to docs/RELIABILITY.md via load-report.ts).
import assert from "node:assert/strict";
import { loadPoller, loadSimulator } from "./load";

describe("reliability: load (loopback, bounded)", function () {
  this.timeout(60_000);

  it("the simulator serves 300 concurrent clients for 1.5 s without an error", async () => {
    const result = await loadSimulator(300, 1500);
    assert.equal(result.errors, 0, result.firstErrors.join("\n"));
    assert.ok(result.requests >= 300, `${result.requests} requests`);
  });

  it("200 waiters over 5,000 jobs all open, on 50 requests per tick", async () => {
    const result = await loadPoller(200, 5000, 1500);
    assert.equal(result.errors, 0, result.firstErrors.join("\n"));
    assert.equal(result.batchRequests % 50, 0, `${result.batchRequests} requests`);
    assert.ok(result.ticks >= 2 && result.ticks <= 10, `${result.ticks} ticks`);
  });
});
