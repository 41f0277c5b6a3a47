// Key rotation for a session: its data (one value) and the idempotency records of its writes.
import type { SessionStore } from "./session-store";
import type { IdempotencyLedger } from "./shell/idempotency-ledger";
import type { SealedSet } from "./shell/object-shell";
import type { SealedValues } from "./shell/sealed-values";
import { resealEach } from "./shell/stale-rows";

/** `resealed` runs once the data is re-sealed: what memory kept of it is opened again on the next read. */
export function resealSession(
  store: SessionStore,
  sealed: SealedValues,
  ledger: IdempotencyLedger,
  resealed: () => void,
): SealedSet[] {
  const data: SealedSet = (place, primary) =>
    resealEach(sealed, store.dataNotUnder(primary), {
      value: (row) => row.data,
      context: (row) => place("session", row.version),
      name: () => "its data",
      replace: (row, value) => {
        store.replaceSealedData(value, row.version);
        resealed();
      },
    });
  return [data, (place, primary, limit) => ledger.reseal(place, primary, limit)];
}
