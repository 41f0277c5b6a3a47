// The shapes that cross the Worker ↔ MachineObject RPC boundary: the contract of one state
// machine's object (its definition versions), in one place.
import type { Keyed, Reply } from "../idempotency";
import type { Result } from "../result";

export interface MachineAddress {
  tenant: string;
  machine: string;
}

export interface PutMachineRequest extends Keyed {
  /** Canonical JSON text of a validated definition. */
  definition: string;
}

export interface PutOutcome {
  version: number;
  createdAt: number;
  /** The machine did not exist (first version, or first after a delete): 201. */
  created: boolean;
  /** The definition equals the latest version's: no new version was made. */
  unchanged: boolean;
}

export interface MachineVersion {
  version: number;
  createdAt: number;
  /** Canonical JSON text of the definition. */
  definition: string;
  latestVersion: number;
  /** Newest first, at most LISTED_VERSIONS. */
  versions: { version: number; createdAt: number }[];
}

/** What one machine's object answers; MachineObject implements it. */
export interface MachineApi {
  put(address: MachineAddress, request: PutMachineRequest): Promise<Reply<PutOutcome>>;
  get(address: MachineAddress, version?: number): Promise<Result<MachineVersion>>;
  latestVersion(): Promise<number | null>;
  remove(address: MachineAddress, request: Keyed): Promise<Reply<null>>;
}
