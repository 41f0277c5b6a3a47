// An HTTP task must not call the edgestate deployment that runs it: a machine that starts itself
// would multiply without bound. The Worker cannot know every name it is served under (custom
// domains, workers.dev, a local IP), so outbound task calls say who sent them instead, the way a
// proxy does (Via, RFC 9110 §7.6.3), with a pseudonym only this deployment can recognise: derived
// from its ADMIN_KEY, so another edgestate deployment's tasks are not mistaken for its own.
import { sha256Hex } from "../crypto/digest";

export const SELF_CALL_HEADER = "Edgestate-Self-Call";

const pseudonyms = new Map<string, Promise<string>>();

/** `edgestate-<12 hex>`, the same in every isolate of one deployment. */
export function deploymentPseudonym(env: { ADMIN_KEY?: string }): Promise<string> {
  const key = env.ADMIN_KEY ?? "";
  let pseudonym = pseudonyms.get(key);
  if (!pseudonym) {
    pseudonym = sha256Hex(`edgestate/via/v1\n${key}`).then((hex) => `edgestate-${hex.slice(0, 12)}`);
    pseudonyms.set(key, pseudonym);
  }
  return pseudonym;
}

/** The Via value an outbound task call carries. */
export const viaOf = (pseudonym: string) => `1.1 ${pseudonym}`;

/** Whether a request's Via names this deployment among the hops it passed. */
export async function cameFromOwnTask(
  env: { ADMIN_KEY?: string },
  via: string | undefined,
): Promise<boolean> {
  if (!via?.includes("edgestate-")) return false;
  const pseudonym = await deploymentPseudonym(env);
  return via.split(",").some((hop) => hop.trim().split(/\s+/)[1] === pseudonym);
}
