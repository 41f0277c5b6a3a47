// The two rounds of calls a coordinator makes to its participants, each call bounded in time. A
// participant that does not answer phase one may or may not have staged: it is "uncertain", and
// is told the verdict like those that staged. One that does not acknowledge phase two is told
// again later (the attempt stays stored until every participant has acknowledged).
import type { EntityAddress } from "../core/entity/contract";
import { fail, type Result } from "../core/result";
import type { OperationCommand, Prepared, PrepareRequest, Verdict } from "../core/transactions/contract";
import { entityStub } from "./names";
import { withTimeout } from "./shell/waiters";

/** Phase one ends here for a participant that has not answered: the transaction aborts. */
const PREPARE_TIMEOUT_MS = 5_000;
/** A participant that does not acknowledge the verdict in time is told again from the alarm. */
const TELL_TIMEOUT_MS = 5_000;

export interface PhaseOne {
  answers: Result<Prepared>[];
  /** Participants whose prepare did not answer: they may hold the entity. */
  uncertain: Set<number>;
}

/** Every participant staged at once; `sent` runs once every call is on its way. */
export async function prepareAll(
  env: Env,
  participants: EntityAddress[],
  commands: OperationCommand[],
  request: Omit<PrepareRequest, "command">,
  sent: () => Promise<void> | undefined,
): Promise<PhaseOne> {
  const uncertain = new Set<number>();
  const calls = participants.map(async (participant, i): Promise<Result<Prepared>> => {
    const stub = entityStub(env, participant);
    const prepare = async (): Promise<Result<Prepared>> =>
      stub.prepare(participant, { ...request, command: commands[i]! });
    try {
      return await withTimeout(prepare, PREPARE_TIMEOUT_MS);
    } catch (e) {
      uncertain.add(i);
      logFailure("transaction_prepare_failed", e);
      return fail("unavailable", `${participant.type}/${participant.id} did not answer in time`);
    }
  });
  await sent();
  return { answers: await Promise.all(calls), uncertain };
}

/** Phase two to the participants at `indices`: whether each acknowledged. `acknowledged` runs after the first. */
export async function tellAll(
  env: Env,
  participants: EntityAddress[],
  indices: number[],
  transaction: string,
  verdict: Verdict,
  acknowledged: () => Promise<void> | undefined = () => undefined,
): Promise<boolean[]> {
  let acks = 0;
  return Promise.all(
    indices.map(async (i) => {
      const participant = participants[i]!;
      const stub = entityStub(env, participant);
      const finish = async (): Promise<Result<void>> => stub.finish(participant, transaction, verdict);
      try {
        if (!(await withTimeout(finish, TELL_TIMEOUT_MS)).ok) return false;
      } catch (e) {
        logFailure("transaction_tell_failed", e);
        return false;
      }
      if (++acks === 1) await acknowledged();
      return true;
    }),
  );
}

export function logFailure(event: string, cause: unknown): void {
  console.error(JSON.stringify({ event, cause: String(cause) }));
}
