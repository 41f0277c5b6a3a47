// Watch tickets look like `ewt_<issuer>_<secret>`: the issuer is the id of the API key that asked
// for it (which names the key's record, where the ticket is kept), or `root` for the deployment's
// root key; the secret is 256 random bits, and only its SHA-256 is stored.

import { encodeBase64Url } from "../core/encoding";
import { sha256Hex } from "../crypto/digest";

export const TICKET_PREFIX = "ewt_";
/** The issuer part of the root key's tickets (never a key id: those are 24 hex digits). */
export const ROOT_ISSUER = "root";
const TICKET_PATTERN = /^ewt_([0-9a-f]{24}|root)_([A-Za-z0-9_-]{43})$/;

/** A ticket lives at most this long. */
export const MAX_TICKET_SECONDS = 60;

export async function newTicket(issuer: string): Promise<{ ticket: string; hash: string }> {
  const secret = encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  return { ticket: `${TICKET_PREFIX}${issuer}_${secret}`, hash: await sha256Hex(secret) };
}

export function parseTicket(text: string): { issuer: string; secret: string } | undefined {
  const match = TICKET_PATTERN.exec(text);
  return match ? { issuer: match[1]!, secret: match[2]! } : undefined;
}

/** What a ticket is bound to: the exact watch path (a session's holds its id, so only a hash is kept). */
export const ticketTarget = (path: string): Promise<string> => sha256Hex(path);
