// A watch with `?ticket=` instead of a bearer key (browsers cannot set headers on a WebSocket): the
// ticket names the record of the key that issued it, which spends it and says which tenant it was
// issued for. The watcher then acts as that key, read-only, so revoking the key ends it too.
import { fail, ok, type Result } from "../core/result";
import { sha256Hex } from "../crypto/digest";
import { apiKeyStub } from "../objects/names";
import type { Principal } from "./principal";
import { parseTicket, ROOT_ISSUER, ticketTarget } from "./ticket-format";

export async function redeemTicket(
  env: Env,
  ticket: string,
  path: string,
  now = Date.now(),
): Promise<Result<{ principal: Principal; tenant: string }>> {
  const parsed = parseTicket(ticket);
  if (!parsed) return fail("unauthorized", "the ticket is malformed");
  const root = parsed.issuer === ROOT_ISSUER;
  const [hash, target] = await Promise.all([sha256Hex(parsed.secret), ticketTarget(path)]);
  const spent = await apiKeyStub(env, parsed.issuer).redeemTicket(hash, target, now, root);
  if (!spent.ok) return spent;
  const { tenant } = spent.value;
  const principal: Principal = root
    ? { kind: "admin" }
    : { kind: "key", id: parsed.issuer, tenant, scopes: ["read"] };
  return ok({ principal, tenant });
}
