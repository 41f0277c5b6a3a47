// Key rotation for a session: its data (one value) and the idempotency records of its writes.
import type { SessionStore } from "./session-store";
import type { IdempotencyLedger } from "./shell/idempotency-ledger";
import type { SealedSet } from "./shell/object-shell";
import type { SealedValues } from "./shell/sealed-values";
import { resealEach } from "./shell/stale-rows";

/**
 * A re-seal changes the sealed text, never the plaintext: what memory keeps of the data stays
 * valid, and stays tied to the key ring it was opened under (newest-plaintext.ts), as an entity's.
 */
export function resealSession(
  store: SessionStore,
  sealed: SealedValues,
  ledger: IdempotencyLedger,
): SealedSet[] {
  const data: SealedSet = (place, primary) =>
    resealEach(sealed, store.dataNotUnder(primary), {
      value: (row) => row.data,
      context: (row) => place("session", row.version),
      name: () => "its data",
      replace: (row, value) => store.replaceSealedData(value, row.version),
    });
  return [data, (place, primary, limit) => ledger.reseal(place, primary, limit)];
}
