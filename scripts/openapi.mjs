// The OpenAPI document outside workerd, for the tools that read a file: Redocly's linter and the
// client generator. It is built from the same code the Worker serves /openapi.json from (the app's
// routes, completed by src/http/contract), bundled by esbuild and run in Node.
//
//   node scripts/openapi.mjs [out.json]      writes the document (default: stdout)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The origin `npm run dev` serves: the document's `servers` entry outside a deployment. */
export const DEV_SERVER = "http://127.0.0.1:8787";

export async function openApiDocument() {
  const dir = mkdtempSync(join(tmpdir(), "edgestate-openapi-"));
  try {
    const outfile = join(dir, "document.mjs");
    await build({
      stdin: {
        contents:
          'export { createApp } from "./src/http/app.ts";\n' +
          'export { openApiDocument } from "./src/http/contract/document.ts";\n',
        resolveDir: root,
        loader: "ts",
      },
      bundle: true,
      platform: "node",
      format: "esm",
      outfile,
      logLevel: "warning",
    });
    const { createApp, openApiDocument } = await import(pathToFileURL(outfile).href);
    return openApiDocument(createApp(), DEV_SERVER);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const text = `${JSON.stringify(await openApiDocument(), null, 2)}\n`;
  if (process.argv[2]) {
    mkdirSync(dirname(resolve(process.argv[2])), { recursive: true });
    writeFileSync(process.argv[2], text);
  } else process.stdout.write(text);
}
