// Idempotency-Keys the client makes: 128 random bits, from getRandomValues (randomUUID exists
// only in secure contexts in browsers; getRandomValues everywhere fetch does).
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return `esc_${hex}`;
}
