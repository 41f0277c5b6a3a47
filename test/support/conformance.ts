// Conformance fixtures are read in place from the shared folder (never copied into the project);
// vitest.config.ts points the @shared alias at it.

const patchFiles = import.meta.glob("@shared/conformance/json-patch/*.json", {
  eager: true,
  import: "default",
}) as Record<string, unknown>;

/** The records of one JSON Patch suite file (json-patch/json-patch-tests). */
export function jsonPatchSuite(file: "tests.json" | "spec_tests.json"): unknown[] {
  const found = Object.entries(patchFiles).find(([path]) => path.endsWith(`/${file}`));
  if (!found || !Array.isArray(found[1]))
    throw new Error(`conformance file json-patch/${file} not found in @shared`);
  return found[1];
}

/** The asl-validator definitions as raw text (so duplicate keys survive), keyed by file name. */
export const aslDefinitions: Record<string, string> = Object.fromEntries(
  Object.entries(
    import.meta.glob("@shared/conformance/asl-validator/definitions/*.json", {
      eager: true,
      query: "?raw",
      import: "default",
    }) as Record<string, string>,
  ).map(([path, text]) => [path.split("/").pop() ?? path, text]),
);
