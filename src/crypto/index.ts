// The public surface of encryption at rest; import from here rather than from the parts.
export { decodeBase64, decodeBase64Url, encodeBase64, encodeBase64Url } from "../core/encoding";
export { associatedData, createSealer, type EnvelopeSealer } from "./envelope";
export { KEY_ID_PATTERN, type KeyRing, type KeyRingResult, parseKeyRing } from "./key-ring";
export { keyIdOf, needsReencryption, SEALED_PREFIX } from "./sealed-format";
export { type SealContext, SealError, type SealErrorReason, type Sealer } from "./sealer";
