// The one place that names Durable Objects. Every name starts with the tenant, so one tenant's
// requests can never address another tenant's objects.
import type { EntityAddress } from "../core/entity/contract";
import type { CatalogAddress, ShardAddress } from "../core/indexes/contract";
import type { WatchedKind, WatchedObject } from "../core/keys/contract";
import { type RegisteredObject, shardOf } from "../core/registry";
import { assertNever } from "../core/result";
import type { KeyWatchers } from "./shell/watch-hub";

export const entityStub = (env: Env, a: EntityAddress) =>
  env.ENTITIES.getByName(`${a.tenant}/${a.type}/${a.id}`);

/** Keys are not tenant data: the key id (random, in the key itself) names its record. */
export const apiKeyStub = (env: Env, keyId: string) => env.API_KEYS.getByName(`key/${keyId}`);

/** Only key administration touches the registry; it is never on a data request's path. */
export const keyRegistryStub = (env: Env) => env.KEY_REGISTRY.getByName("registry");

/** One object per session; the id is random or derived from the tenant's idempotency key. */
export const sessionStub = (env: Env, tenant: string, id: string) =>
  env.SESSIONS.getByName(`${tenant}/${id}`);

/** One object per subject: the index of that subject's sessions. */
export const subjectStub = (env: Env, tenant: string, subject: string) =>
  env.SUBJECTS.getByName(`${tenant}/${subject}`);

/** One per tenant/machine: the machine's definition versions. */
export const machineStub = (env: Env, tenant: string, machine: string) =>
  env.MACHINES.getByName(`${tenant}/${machine}`);

/**
 * One per tenant/machine/execution. Machine and execution names never contain "/" (names.ts), so
 * the name is unambiguous.
 */
export const executionStub = (env: Env, tenant: string, machine: string, execution: string) =>
  env.EXECUTIONS.getByName(`${tenant}/${machine}/${execution}`);

/**
 * One per transaction: its coordinator (TransactionObject). `name` is derived from the request's
 * Idempotency-Key, so a retry reaches the same coordinator, or random.
 */
export const transactionStub = (env: Env, tenant: string, name: string) =>
  env.TRANSACTIONS.getByName(`${tenant}/${name}`);

/** One per tenant/type: the type's index definitions and the builds of their generations. */
export const catalogStub = (env: Env, a: CatalogAddress) =>
  env.INDEX_CATALOGS.getByName(`${a.tenant}/${a.type}`);

/**
 * One shard of one generation of an index. Index names follow the type rule and generations are
 * hex, so the name is unambiguous.
 */
export const shardStub = (env: Env, a: ShardAddress) =>
  env.INDEX_SHARDS.getByName(`${a.tenant}/${a.type}/${a.index}/${a.gen}/${a.shard}`);

/** One of a tenant's registry shards (core/registry.ts). */
export const registryStub = (env: Env, tenant: string, shard: number) =>
  env.REGISTRY.getByName(`${tenant}/${shard}`);

/** The list of tenants, written once per tenant and shard; only key rotation reads it. */
export const tenantDirectoryStub = (env: Env) => env.TENANTS.getByName("tenants");

/** Registers an object in its tenant's registry: how objects holding sealed values can be found. */
export const registerObject = (env: Env, tenant: string, object: RegisteredObject) =>
  registryStub(env, tenant, shardOf(object)).register(tenant, object);

/** An object that deleted all it held is taken out of its registry (rotation need not visit it). */
export const unregisterObject = (env: Env, tenant: string, object: RegisteredObject) =>
  registryStub(env, tenant, shardOf(object)).unregister(object);

/** The object a registry entry names, for what every sealed-value object answers (`reencrypt`). */
export function registeredStub(env: Env, tenant: string, object: RegisteredObject) {
  const name = `${tenant}/${object.name}`;
  switch (object.kind) {
    case "entity":
      return env.ENTITIES.getByName(name);
    case "session":
      return env.SESSIONS.getByName(name);
    case "subject":
      return env.SUBJECTS.getByName(name);
    case "machine":
      return env.MACHINES.getByName(name);
    case "execution":
      return env.EXECUTIONS.getByName(name);
    case "transaction":
      return env.TRANSACTIONS.getByName(name);
    case "api-key":
      // Keys are named by their id alone (apiKeyStub); the registry still lists them per tenant.
      return apiKeyStub(env, object.name);
    case "indexes":
      return env.INDEX_CATALOGS.getByName(name);
    default:
      return assertNever(object.kind, "object kind");
  }
}

function watchedNamespace(env: Env, kind: WatchedKind) {
  switch (kind) {
    case "entity":
      return env.ENTITIES;
    case "session":
      return env.SESSIONS;
    case "execution":
      return env.EXECUTIONS;
    default:
      return assertNever(kind, "watched kind");
  }
}

/** An object holding a key's watchers, from the key record's list (for revocation). */
export const watchedStub = (env: Env, object: WatchedObject) => {
  const namespace = watchedNamespace(env, object.kind);
  return namespace.get(namespace.idFromString(object.id));
};

/** How a watched object tells a key's record that it holds (or no longer holds) that key's watchers. */
export function keyWatchers(env: Env, kind: WatchedKind, id: DurableObjectId): KeyWatchers {
  const object: WatchedObject = { kind, id: id.toString() };
  return {
    watch: (keyId) => apiKeyStub(env, keyId).watching(object),
    unwatch: (keyId) => apiKeyStub(env, keyId).unwatching(object),
  };
}
