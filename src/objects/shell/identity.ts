// Who an object is, written once: its address (the alarm and the re-encryption job have no request
// to say it), a random uid that outlives any name (an execution's task keys are built from it), and
// whether its tenant's registry knows it. Objects that hold sealed values register before their
// first commit, so key rotation can find every one of them without an eventually consistent KV
// listing; a registration that failed is retried from the alarm until it lands.
import type { Clock } from "../../core/clock";
import type { AlarmConcern } from "./alarm-plan";

export interface Identity<A> {
  address: A;
  uid: string;
  /** false: the registry has not acknowledged this object yet (retried from the alarm at `retryAt`). */
  registered: boolean;
  retryAt?: number;
}

/**
 * Tells the tenant's registry about an object; throws when it cannot be reached. What the registry
 * answers is the object's to use (an entity learns its type's indexes from it).
 */
export type Register<A> = (address: A) => Promise<unknown>;

const KEY = "identity";
const RETRY_MS = 60_000;

export class IdentityRecord<A> implements AlarmConcern {
  readonly name = "registration";
  private cached: Identity<A> | null | undefined;
  /** The identity being established, so an `establish` before it is stored registers nothing more. */
  private establishing: Promise<Identity<A>> | null = null;
  /** True once the cached record is known to be in storage: later commits write nothing. */
  private persisted = false;

  /**
   * @param register null for objects that hold no sealed value (a subject's index): never registered.
   * @param legacy reads the address an object stored before identities existed (converted once).
   */
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly clock: Clock,
    private readonly register: Register<A> | null,
    private readonly legacy: () => A | undefined = () => undefined,
  ) {}

  get(): Identity<A> | null {
    if (this.cached === undefined) {
      const stored = this.storage.kv.get<Identity<A>>(KEY);
      this.persisted = stored !== undefined;
      this.cached = stored ?? this.converted();
    }
    return this.cached;
  }

  /**
   * Before the first commit of a new object: registers it (a crash after this leaves a registry
   * entry for an object with nothing in it, never an object missing from the registry) and returns
   * the identity, to be stored by `store` in that commit's transaction. Until it is stored, every
   * call gets the same one: an object may start registering early, beside other work.
   */
  establish(address: A): Promise<Identity<A>> {
    const known = this.get();
    if (known) return Promise.resolve(known);
    this.establishing ??= this.registered(address);
    return this.establishing;
  }

  private async registered(address: A): Promise<Identity<A>> {
    const identity: Identity<A> = { address, uid: crypto.randomUUID(), registered: true };
    if (this.register) {
      try {
        await this.register(address);
      } catch (e) {
        logFailure(e);
        Object.assign(identity, { registered: false, retryAt: this.clock.now() });
        // Not kept for the next write: an entity refuses to commit unregistered, and its retry
        // must ask the registry again (an object that commits anyway stores this and retries
        // from its alarm).
        this.establishing = null;
      }
    }
    return identity;
  }

  /** Synchronous: inside the first commit's transaction. */
  store(identity: Identity<A>): void {
    if (this.cached === identity && this.persisted) return;
    this.establishing = null;
    this.storage.kv.put(KEY, identity);
    this.cached = identity;
    this.persisted = true;
  }

  dueAt(): number | null {
    const identity = this.get();
    return identity && !identity.registered ? (identity.retryAt ?? this.clock.now()) : null;
  }

  /**
   * `establish`, and for an object stored unregistered (a failed registration, an object from
   * before identities) one more try now: for a write that must not commit unregistered.
   */
  async ensureRegistered(address: A): Promise<Identity<A>> {
    const identity = await this.establish(address);
    if (identity.registered || !this.persisted) return identity;
    await this.retry(true);
    return this.get() ?? identity;
  }

  /** From the alarm (or `ensureRegistered`, `now`): one more try for a registration that failed. */
  async retry(now = false): Promise<void> {
    const identity = this.get();
    if (!identity || identity.registered || !this.register) return;
    if (!now && (identity.retryAt ?? 0) > this.clock.now()) return;
    let next: Identity<A>;
    try {
      await this.register(identity.address);
      next = { address: identity.address, uid: identity.uid, registered: true };
    } catch (e) {
      logFailure(e);
      next = { ...identity, retryAt: this.clock.now() + RETRY_MS };
    }
    this.storage.kv.put(KEY, next);
    this.cached = next;
    this.persisted = true;
  }

  /** Forgets the cached record after the object deleted all of its storage. */
  forget(): void {
    this.establishing = null;
    this.cached = undefined;
    this.persisted = false;
  }

  /**
   * An object from before identities existed: its address as it stored it then. It is registered
   * from its next alarm (due at once), and keeps a uid from now on.
   */
  private converted(): Identity<A> | null {
    const address = this.legacy();
    if (address === undefined) return null;
    const identity: Identity<A> = {
      address,
      uid: crypto.randomUUID(),
      registered: this.register === null,
      retryAt: this.clock.now(),
    };
    this.storage.kv.put(KEY, identity);
    this.persisted = true;
    return identity;
  }
}

function logFailure(cause: unknown): void {
  console.error(JSON.stringify({ event: "registry_write_failed", cause: String(cause) }));
}
