// zod's core namespace for src/bundle/zod.ts: all of it but the locales other than English and
// the code-generating compiler (see there).
import en from "zod/v4/locales/en.js";

export * from "zod/v4/core";
export const locales = { en };

const notBundled = (name: string) => () => {
  throw new Error(`zod's ${name} is not in edgestate's Worker bundle (src/bundle/zod.ts)`);
};
export const compile = notBundled("compile");
export const compileFn = notBundled("compileFn");
export const withParser = notBundled("withParser");
