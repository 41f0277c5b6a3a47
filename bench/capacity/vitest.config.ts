import { workerdBench } from "../workerd-config.ts";

// `npm run bench:capacity`: what one object carries, measured inside workerd against the real
// Worker and Durable Objects, with no proxy in between (see fan-out.test.ts).
export default workerdBench(import.meta.dirname, {
  // Past the default 1,000 watchers, to see how the cost grows; and no rate limit in the way.
  bindings: { MAX_WATCHERS_PER_OBJECT: "2000" },
  ratelimits: { RATE_LIMITER: { namespace_id: "1001", simple: { limit: 1_000_000_000, period: 60 } } },
});
