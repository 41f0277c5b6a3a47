// The AWS JSON protocol's timestamps are epoch seconds as JSON numbers, milliseconds kept as the
// fraction (1733000000.123); the SDKs refuse an ISO string there. Everything inside edgestate is
// epoch ms or ISO-8601, converted here only.

export const epochSeconds = (ms: number): number => ms / 1000;

export const epochSecondsOfIso = (iso: string): number => Date.parse(iso) / 1000;
