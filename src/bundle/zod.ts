// What `import … from "zod"` is in the Worker's bundle (the [alias] in wrangler.toml): zod's
// classic API, the same schemas and the same validation, without what no code of ours or of our
// libraries reaches. @hono/zod-openapi hands the whole `z` namespace to zod-to-openapi as a value,
// so a bundler must keep everything that namespace names, and zod's names every locale (about
// 250 KiB minified) and its code-generating compiler, which Workers cannot run (no eval). Here
// they are left out (zod-classic.ts, zod-core.ts): zod installs its English messages itself.
// Tests run on zod itself (vitest has no such alias); the README and browser suites, which run
// `wrangler dev`, run on this.
import * as z from "./zod-classic";

export * from "./zod-classic";
export { z };
export default z;
