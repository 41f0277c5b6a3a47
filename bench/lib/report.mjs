// The results table: one row per scenario and concurrency, ratios against the same run's baseline.

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "–");

/** Did a row meet its target? `null` when there is no target to judge. */
export function verdict(row) {
  const t = row.target;
  if (!t || !row.edge || !row.base) return null;
  const failures = [];
  // A side that completed nothing in its runs is no measurement: never a pass.
  if (!(row.edge.rps > 0) || !(row.base.rps > 0)) failures.push("a side completed no request");
  else if (!Number.isFinite(row.ratio)) failures.push("no round measured both sides");
  else if (row.ratio < t.ratio) failures.push(`ratio ${fmt(row.ratio, 3)} < ${t.ratio}`);
  if (t.p50 && row.edge.p50 > t.p50 * row.base.p50) failures.push(`p50 > ${t.p50}× baseline`);
  if (row.edge.status5xx > 0) failures.push("5xx under load");
  if (row.check && !row.check.ok) failures.push(row.check.detail);
  return { pass: failures.length === 0, failures };
}

const targetText = (t) =>
  t ? `≥ ${t.ratio}×${t.p50 ? `, p50 ≤ ${t.p50}×` : ""}${t.noLostUpdate ? ", no lost update" : ""}` : "–";

export function markdownTable(rows, { load = false } = {}) {
  const head = [
    "scenario",
    "conc.",
    "req/s",
    "p50 ms",
    "p99 ms",
    "errors",
    "baseline",
    "baseline req/s",
    "baseline p50 ms",
    "ratio",
    "no-op req/s",
    "target",
    "result",
    ...(load ? ["load"] : []),
  ];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const r of rows) {
    const v = verdict(r);
    const result = r.pending
      ? r.pending
      : v
        ? v.pass
          ? "pass"
          : `**miss**: ${v.failures.join("; ")}`
        : "report";
    lines.push(
      `| ${[
        r.title,
        r.concurrency ?? "–",
        fmt(r.edge?.rps),
        fmt(r.edge?.p50, 1),
        fmt(r.edge?.p99, 1),
        r.edge ? String(r.edge.errors) : "–",
        r.baseline,
        fmt(r.base?.rps),
        fmt(r.base?.p50, 1),
        fmt(r.ratio, 2),
        fmt(r.noop?.rps),
        targetText(r.target),
        result,
        ...(load ? [r.load ? `${fmt(r.load[0], 1)}–${fmt(r.load[1], 1)}` : "–"] : []),
      ].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}
