import { DurableObject } from "cloudflare:workers";
import { awsSecretPlace, type KeyRecord } from "../core/keys/contract";
import { ok, type Result } from "../core/result";
import { SealedValues } from "./shell/sealed-values";

/**
 * One API key's record, named by the key's id: verification scales with the number of keys. The
 * record holds one sealed value, the key's AWS secret; key rotation finds the key through its
 * tenant's registry (the key route registers it first) and re-seals it here.
 */
export class ApiKeyObject extends DurableObject<Env> {
  async create(record: KeyRecord): Promise<boolean> {
    if (this.ctx.storage.kv.get("record") !== undefined) return false;
    this.ctx.storage.kv.put("record", record);
    return true;
  }

  async read(): Promise<KeyRecord | null> {
    return this.ctx.storage.kv.get<KeyRecord>("record") ?? null;
  }

  /** Key rotation: the AWS secret re-sealed under the primary key (0 when it already is, or there is none). */
  async reencrypt(): Promise<Result<{ reencrypted: number }>> {
    const record = this.ctx.storage.kv.get<KeyRecord>("record");
    if (!record?.awsSecret) return ok({ reencrypted: 0 });
    const place = awsSecretPlace(record.tenant, record.id);
    const resealed = await new SealedValues(this.env).reseal(record.awsSecret, place);
    if (!resealed.ok) return resealed;
    if (resealed.value === null) return ok({ reencrypted: 0 });
    // Read again: a revocation may have landed while the reseal awaited WebCrypto.
    const current = this.ctx.storage.kv.get<KeyRecord>("record")!;
    this.ctx.storage.kv.put("record", { ...current, awsSecret: resealed.value });
    return ok({ reencrypted: 1 });
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
