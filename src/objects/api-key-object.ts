import { DurableObject } from "cloudflare:workers";
import type { KeyRecord } from "../core/keys/contract";

/** One API key's record, named by the key's id: verification scales with the number of keys. */
export class ApiKeyObject extends DurableObject<Env> {
  async create(record: KeyRecord): Promise<boolean> {
    if (this.ctx.storage.kv.get("record") !== undefined) return false;
    this.ctx.storage.kv.put("record", record);
    return true;
  }

  async read(): Promise<KeyRecord | null> {
    return this.ctx.storage.kv.get<KeyRecord>("record") ?? null;
  }

  async revoke(now: number): Promise<KeyRecord | null> {
    const record = this.ctx.storage.kv.get<KeyRecord>("record");
    if (!record) return null;
    if (record.revokedAt === null) {
      record.revokedAt = now;
      this.ctx.storage.kv.put("record", record);
    }
    return record;
  }
}
