// zod's classic API for src/bundle/zod.ts: all of it but the locales other than English and the
// code-generating compiler (see there).
import * as core from "./zod-core";

export * from "zod/v4";
export { locales } from "./zod-core";
export { core };

const notBundled = (name: string) => () => {
  throw new Error(`zod's ${name} is not in edgestate's Worker bundle (src/bundle/zod.ts)`);
};
export const compile = notBundled("compile");
/** zod's own `z` namespace names every locale; zod.ts exports this module's namespace as `z`. */
export const z = undefined;
export const fromJSONSchema = notBundled("fromJSONSchema");
