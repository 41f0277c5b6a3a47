import { workerdBench } from "../workerd-config.ts";

// `npm run bench:cost`: billable units per API operation, measured inside workerd against the
// real Worker, Durable Objects and KV (see billable-units.test.ts).
export default workerdBench(import.meta.dirname);
