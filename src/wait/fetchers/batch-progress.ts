// batch-progress as a fetcher: percent, lag and time left, for whatever jobs the rules ask.
import type { JobProgressEntry } from "../../api/progress";
import type { Fetcher } from "../observations";

export const batchProgress: Fetcher<JobProgressEntry> = {
  kind: "batch-progress",
  async fetch(source, jobIds, { signal }) {
    if (!source.batchProgress) throw new Error("this status source cannot read progress");
    const entries = await source.batchProgress(jobIds, { signal });
    return new Map(entries.map((entry) => [entry.id, entry]));
  },
};
