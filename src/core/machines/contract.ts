// The shapes that cross the Worker ↔ MachineObject RPC boundary: the contract of one state
// machine's object (its definition versions), in one place.
import type { Keyed, Reply } from "../idempotency";
import type { Result } from "../result";

export interface MachineAddress {
  tenant: string;
  machine: string;
}

export type MachineType = "STANDARD" | "EXPRESS";

/**
 * What the AWS API says about a machine besides its definition: its type (fixed when it is
 * created) and the role it was given. Identifiers, kept in clear like the machine's name; edgestate
 * runs both types alike and assumes no role. A machine made through the REST API is STANDARD with
 * no role.
 */
export interface MachineSettings {
  type: MachineType;
  roleArn: string | null;
}

export const DEFAULT_SETTINGS: MachineSettings = { type: "STANDARD", roleArn: null };

export interface PutMachineRequest extends Keyed {
  /** Canonical JSON text of a validated definition; absent: only the settings change. */
  definition?: string;
  /**
   * "create" (CreateStateMachine): an existing machine with another definition or settings is a
   * conflict. "update" (UpdateStateMachine): a machine that does not exist is not_found. Absent
   * (REST PUT): either.
   */
  mode?: "create" | "update";
  /** `type` is taken only when the machine is created. */
  settings?: Partial<MachineSettings>;
}

export interface PutOutcome {
  version: number;
  createdAt: number;
  /** The machine did not exist (first version, or first after a delete): 201. */
  created: boolean;
  /** The definition equals the latest version's: no new version was made. */
  unchanged: boolean;
  settings: MachineSettings;
  /** Epoch ms of this change (of the latest version's creation when nothing changed). */
  changedAt: number;
}

/**
 * The versions a machine holds now: every number from `first` to `latest`. A machine's versions are
 * deleted only all at once, and numbers are never reused, so a number below `first` was deleted
 * (with an earlier incarnation of the machine) and names nothing, ever again.
 */
export interface VersionSpan {
  first: number;
  latest: number;
}

export interface MachineVersion {
  version: number;
  createdAt: number;
  /** Canonical JSON text of the definition. */
  definition: string;
  latestVersion: number;
  /** The oldest version kept: the first of this incarnation of the machine. */
  firstVersion: number;
  /** Newest first, at most LISTED_VERSIONS. */
  versions: { version: number; createdAt: number }[];
  settings: MachineSettings;
  /** Epoch ms of the machine's first kept version: its creation date. */
  machineCreatedAt: number;
}

export interface VersionPage {
  /** Newest first. */
  versions: { version: number; createdAt: number }[];
  /** Whether older versions follow the last one. */
  more: boolean;
}

/** What one machine's object answers; MachineObject implements it. */
export interface MachineApi {
  put(address: MachineAddress, request: PutMachineRequest): Promise<Reply<PutOutcome>>;
  get(address: MachineAddress, version?: number): Promise<Result<MachineVersion>>;
  /** Null: the machine does not exist. Decrypts nothing. */
  versionSpan(): Promise<VersionSpan | null>;
  /** Versions older than `before` (absent: from the latest), newest first. */
  versionPage(page: { limit: number; before?: number }): Promise<Result<VersionPage>>;
  remove(address: MachineAddress, request: Keyed): Promise<Reply<null>>;
}
