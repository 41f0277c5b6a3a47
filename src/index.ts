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

// The console is a client of the API (it calls /v1 in-process), so it sits above the http layer.
const worker = createWorker([consoleSite]);

export default { fetch: worker.fetch } satisfies ExportedHandler<Env>;
