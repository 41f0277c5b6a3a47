import { workerdBench } from "../workerd-config.ts";

// `npm run bench:shard`: what one index shard takes, measured on the object itself inside workerd
// (no HTTP, no entity in front of it): changes applied per second, and query latency as the shard
// grows to 100,000 entries (see shard-capacity.test.ts).
export default workerdBench(import.meta.dirname);
