// Builds edgestate/client into dist/client: ESM and declarations, with the API's types generated
// from /openapi.json (the same generator `npm run check:client` runs), so the client's types are
// the routes' schemas and cannot drift from them.
//
//   node scripts/build-client.mjs
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const generator = join(root, "tools/openapi-client/generate.mjs");
const generated = join(root, "tools/openapi-client/generated/edgestate.d.ts");
const source = join(root, "src/client/generated/openapi.d.ts");
const out = join(root, "dist/client");

// Regenerated on every build (never committed), from the routes as they are now.
execFileSync(process.execPath, [generator], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
mkdirSync(dirname(source), { recursive: true });
copyFileSync(generated, source);
rmSync(out, { recursive: true, force: true });
execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", "tsconfig.client.json"], {
  cwd: root,
  stdio: ["ignore", 2, 2],
});
// tsc emits no .d.ts it only reads: the generated types go beside the declarations that import them.
mkdirSync(join(out, "generated"), { recursive: true });
copyFileSync(source, join(out, "generated/openapi.d.ts"));
console.error(`built ${out}`);
