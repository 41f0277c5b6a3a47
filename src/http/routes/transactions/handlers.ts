import type { OpenAPIHono } from "@hono/zod-openapi";
import { getConfig } from "../../../config";
import { etagOf } from "../../../core/entity/preconditions";
import { transactionStub } from "../../../objects/names";
import { readTransactionally as readItems } from "../../../objects/transaction-reads";
import type { AppEnv } from "../../app-env";
import { fromFailure } from "../../problem";
import { storedReplyResponse, type UntypedResponse } from "../../stored-reply";
import { keyed } from "../entities/write-request";
import { operationsOf } from "./operations";
import { readTransactionally, runTransaction } from "./routes";

export function transactionRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(runTransaction, async (c) => {
    const operations = operationsOf(c.req.valid("json"), getConfig(c.env));
    const tenant = c.get("tenant")!;
    const request = { ...(await keyed(c)), operations };
    // A retry under the same Idempotency-Key reaches the same coordinator, which replays its reply.
    const name = request.idempotency ? `key-${request.idempotency.key}` : `run-${crypto.randomUUID()}`;
    const reply = await transactionStub(c.env, tenant, name).run({ tenant, name }, request);
    return storedReplyResponse(c, reply, ({ transaction, results }, replay) =>
      c.json(
        {
          transaction,
          results: results.map((r) => ({ ...r, etag: r.version === null ? null : etagOf(r.version) })),
        },
        200,
        replay,
      ),
    );
  });

  app.openapi(readTransactionally, async (c) => {
    const read = await readItems(c.env, c.get("tenant")!, c.req.valid("json").items);
    if (!read.ok) throw fromFailure(read);
    // Bodies are stored JSON text, placed as they are (as GET /v1/entities does): parsing and writing
    // them again could change what was stored (-0 would become 0). The document describes the shape.
    const items = read.value.map(({ type, id, version, body }) => {
      const head = JSON.stringify({ type, id, version });
      return `${head.slice(0, -1)},"body":${body ?? "null"}}`;
    });
    return c.body(`{"items":[${items.join(",")}]}`, 200, {
      "Content-Type": "application/json",
    }) as UntypedResponse;
  });
}
