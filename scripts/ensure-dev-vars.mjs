// `npm run dev` on a fresh checkout: wrangler reads secrets from .dev.vars, which is never
// committed. Seed it from the committed development values so the quick start just works.
import { copyFileSync, existsSync } from "node:fs";

if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("created .dev.vars from .dev.vars.example (development secrets only)");
}
