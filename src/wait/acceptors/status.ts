// The first acceptor: where a job's status puts it against the wait's targets (`judge`).
import { judge, type TargetStatuses } from "../../api/status";
import type { Acceptor } from "../readiness";

export function statusAcceptor(targets: TargetStatuses): Acceptor<never> {
  return {
    name: "status",
    accept({ entry, tick }) {
      const observation = tick.statusById.get(entry.id);
      // No answer at all for this job this tick: not a missing job (the client says that).
      if (!observation) return { entry: { id: entry.id, phase: "pending", unknown: true } };
      return { entry: judge(observation, targets) };
    },
  };
}
