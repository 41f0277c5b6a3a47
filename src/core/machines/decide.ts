// What a write to a machine does, decided from what the machine holds: a new version, new settings,
// nothing (the same definition and settings again), or a refusal — for the REST PUT (either way),
// CreateStateMachine (refused when the machine exists otherwise) and UpdateStateMachine (refused
// when it does not exist). Pure: the object opens the latest definition and seals what is new.
import { fail, ok, type Result } from "../result";
import type { MachineSettings, PutMachineRequest, PutOutcome } from "./contract";

export interface Latest {
  version: number;
  createdAt: number;
  /** The latest version's definition, opened. */
  definition: string;
}

export interface PutDecision {
  outcome: PutOutcome;
  /** A new version to store with this definition. */
  version?: { number: number; definition: string };
  /** Settings to store (new or changed). */
  settings?: MachineSettings;
}

const same = (a: MachineSettings, b: MachineSettings) => a.type === b.type && a.roleArn === b.roleArn;

export function decidePut(
  machine: string,
  latest: Latest | null,
  current: MachineSettings,
  request: Pick<PutMachineRequest, "definition" | "mode" | "settings">,
  now: number,
  nextVersion: number,
): Result<PutDecision> {
  if (!latest) {
    if (request.mode === "update") return fail("not_found", `no state machine named "${machine}"`);
    if (request.definition === undefined) return fail("invalid", "a new state machine needs a definition");
    const settings = {
      type: request.settings?.type ?? "STANDARD",
      roleArn: request.settings?.roleArn ?? null,
    } satisfies MachineSettings;
    return ok({
      outcome: {
        version: nextVersion,
        createdAt: now,
        created: true,
        unchanged: false,
        settings,
        changedAt: now,
      },
      version: { number: nextVersion, definition: request.definition },
      settings,
    });
  }
  // The type is fixed at creation; only the role may change.
  const wanted: MachineSettings = {
    type: current.type,
    roleArn: request.settings?.roleArn === undefined ? current.roleArn : request.settings.roleArn,
  };
  const definitionSame = request.definition === undefined || request.definition === latest.definition;
  const typeAsked = request.settings?.type === undefined || request.settings.type === current.type;
  if (request.mode === "create" && !(definitionSame && typeAsked && same(wanted, current))) {
    return fail(
      "conflict",
      `a state machine named "${machine}" already exists with another definition or settings`,
    );
  }
  const settings = same(wanted, current) ? undefined : wanted;
  const unchanged = { version: latest.version, createdAt: latest.createdAt, created: false };
  if (definitionSame) {
    return ok({
      outcome: {
        ...unchanged,
        unchanged: true,
        settings: wanted,
        changedAt: settings ? now : latest.createdAt,
      },
      ...(settings ? { settings } : {}),
    });
  }
  return ok({
    outcome: {
      version: nextVersion,
      createdAt: now,
      created: false,
      unchanged: false,
      settings: wanted,
      changedAt: now,
    },
    version: { number: nextVersion, definition: request.definition! },
    ...(settings ? { settings } : {}),
  });
}
