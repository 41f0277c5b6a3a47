import { WorkerEntrypoint } from "cloudflare:workers";
import { consoleSite } from "./console";
import { createWorker } from "./http/app";

export { ApiKeyObject } from "./objects/api-key-object";
export { EntityObject } from "./objects/entity-object";
export { ExecutionObject } from "./objects/execution-object";
export { IndexCatalog } from "./objects/index-catalog";
export { IndexShard } from "./objects/index-shard";
export { KeyRegistry } from "./objects/key-registry";
export { MachineObject } from "./objects/machine-object";
export { SessionObject } from "./objects/session-object";
export { SubjectObject } from "./objects/subject-object";
export { TenantDirectory, TenantRegistry } from "./objects/tenant-registry";
export { TransactionObject } from "./objects/transaction-object";
export { UniqueKeyObject } from "./objects/unique-key-object";

// The console is a client of the API (it calls /v1 in-process), so it sits above the http layer.
const worker = createWorker([consoleSite]);

export default { fetch: worker.fetch } satisfies ExportedHandler<Env>;

/**
 * The RPC entry point for other Workers of the account: a service binding to it (`entrypoint =
 * "EdgestateService"`) reaches the same routes, validation and API-key auth as HTTPS, with no
 * public hop. No binding is trusted by itself: every call carries an API key, which decides the
 * tenant and the scopes, exactly as over HTTPS. `createClient({ fetcher: env.EDGESTATE, key })`
 * from edgestate/client speaks to it.
 */
export class EdgestateService extends WorkerEntrypoint<Env> {
  override async fetch(request: Request): Promise<Response> {
    return worker.fetch(request, this.env, this.ctx);
  }
}
