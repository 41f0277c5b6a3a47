// Key rotation for an execution: its snapshot and definition copy (KV), every history event, and
// the idempotency records of its writes.
import { DEFINITION, HISTORY_KIND, SNAPSHOT } from "./execution-state";
import type { ExecutionStore, SealedPart } from "./execution-store";
import type { IdempotencyLedger } from "./shell/idempotency-ledger";
import type { SealedSet } from "./shell/object-shell";
import type { SealedValues } from "./shell/sealed-values";
import { resealEach } from "./shell/stale-rows";

export function resealExecution(
  store: ExecutionStore,
  sealed: SealedValues,
  ledger: IdempotencyLedger,
): SealedSet[] {
  const parts: SealedSet = (place, primary) =>
    resealEach(sealed, store.partsNotUnder(primary), {
      value: (p) => p.sealed,
      context: (p) => {
        const [kind, version] = p.part === "snapshot" ? SNAPSHOT : DEFINITION;
        return place(kind, version);
      },
      name: (p) => p.part,
      replace: (p, value) => store.replacePart(p.part satisfies SealedPart, value),
    });
  const history: SealedSet = (place, primary, limit) =>
    resealEach(sealed, store.eventsNotUnder(primary, limit), {
      value: (row) => row.body,
      context: (row) => place(HISTORY_KIND, row.id),
      name: (row) => `history event ${row.id}`,
      replace: (row, value) => store.replaceEvent(row.id, value),
    });
  return [parts, history, (place, primary, limit) => ledger.reseal(place, primary, limit)];
}
