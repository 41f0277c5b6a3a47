// Every reply a test gets through the Worker, read to its end and held against /openapi.json.
// Reading it whole means no test leaves a reply's body stream unconsumed (workerd warns about each
// one it has to collect), and checking it means the whole suite, not only the contract test,
// proves the document exact: a status, header or body the document does not describe fails the
// test that met it.
import { exports } from "cloudflare:workers";
import { checkExchange, type Verdict } from "./check";
import { type ContractDocument, loadContract } from "./document";

const NULL_BODY = new Set([101, 204, 205, 304]);
let contract: Promise<ContractDocument> | undefined;

/** The document the Worker serves, fetched once per test file. */
export const currentContract = () => {
  contract ??= loadContract((url) => exports.default.fetch(url));
  return contract;
};

/** A watch's reply: a WebSocket upgrade, or a stream of server-sent events. */
const isStream = (res: Response) =>
  res.status === 101 || (res.headers.get("Content-Type") ?? "").startsWith("text/event-stream");

/** `request` is the one sent (its body still unread); `strict` checks its headers too (check.ts). */
export async function settle(
  request: Request,
  res: Response,
  strict = false,
): Promise<Verdict & { response: Response }> {
  // The one exemption: a watch's stream is handed over unread (it ends when the watch does, and
  // the test reads it), so its status, headers and media type are checked, not its content. A 101
  // has no body, and an event stream is declared as text: what is not read could break neither.
  const stream = isStream(res);
  const body = stream ? "" : await res.text();
  const sent = request.body ? (await request.arrayBuffer()).byteLength > 0 : false;
  const exchange = {
    method: request.method,
    url: request.url,
    requestHeaders: request.headers,
    requestBody: sent,
    status: res.status,
    headers: res.headers,
    body,
  };
  const verdict = checkExchange(await currentContract(), exchange, strict);
  if (stream) return { ...verdict, response: res };
  const response = new Response(NULL_BODY.has(res.status) || body === "" ? null : body, res);
  return { ...verdict, response };
}

/** The start of a reply's body, for a failure's message (a stream's is not waited for). */
export const preview = async (res: Response, length: number) =>
  isStream(res) ? "(a stream)" : (await res.clone().text()).slice(0, length);

/** The reply, or an error naming what in it the document does not describe. */
export async function settled(request: Request, res: Response): Promise<Response> {
  const { response, violations } = await settle(request, res);
  if (violations.length) {
    const where = `${request.method} ${new URL(request.url).pathname} → ${res.status}`;
    throw new Error(
      `${where} is not what /openapi.json describes:\n  ${violations.join("\n  ")}\n${await preview(response, 400)}`,
    );
  }
  return response;
}
