import { describe, expect, it } from "vitest";
import readme from "../../README.md?raw";
import { api, issueKey, unique } from "../support/api";
import { expectProblem } from "../support/problem";

// Issue 11 #12: POST /v1/definitions/validate stores nothing, so it needs `read` (a read-only key
// can lint definitions in CI), and the README says the same as the code.

const definition = { StartAt: "P", States: { P: { Type: "Pass", End: true } } };

describe("POST /v1/definitions/validate", () => {
  it("needs only the read scope; saving the same definition needs write", async () => {
    const key = await issueKey(unique("lint"), ["read"]);
    const verdict = await api("POST", "/v1/definitions/validate", { key, body: definition });
    expect(verdict.status, await verdict.clone().text()).toBe(200);
    expect(await verdict.json()).toMatchObject({ valid: true });
    const put = await api("PUT", `/v1/machines/${unique("m")}`, { key, body: definition });
    expect((await expectProblem(put, 403)).detail).toContain('"write"');
  });

  it("a key without read may not validate", async () => {
    const key = await issueKey(unique("w"), ["write"]);
    await expectProblem(await api("POST", "/v1/definitions/validate", { key, body: definition }), 403);
  });

  it("the README states the same rule", () => {
    expect(readme).toContain("`POST /v1/definitions/validate`, which stores nothing and needs\nonly `read`");
    expect(readme).not.toMatch(/\/v1\/definitions\/validate`?[^.]*needs `write`/);
  });
});
