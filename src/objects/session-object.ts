import { DurableObject } from "cloudflare:workers";

// Placeholder until its issue lands: declared now so wrangler.toml's one migration lists every class.
export class SessionObject extends DurableObject<Env> {}
