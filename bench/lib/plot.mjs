// Line charts as self-contained SVG, for the "how cost grows" curves: no library, no script, so
// GitHub and any browser show them as images. One chart: a title, one or more series of (x, y)
// points, linear or log axes with round ticks, and a legend.

const W = 720;
const H = 400;
const M = { left: 72, right: 24, top: 48, bottom: 64 };
const COLORS = ["#d9480f", "#1c7ed6", "#2b8a3e", "#862e9c", "#e67700", "#495057"];

const esc = (s) =>
  String(s)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");

/** Round tick values covering [lo, hi]: powers of 2 or 10 on a log axis, 1-2-5 steps on a linear one. */
function ticks(lo, hi, log, base) {
  if (log) {
    const out = [];
    for (let v = base ** Math.floor(Math.log(lo) / Math.log(base)); v <= hi * 1.0001; v *= base) {
      if (v >= lo / 1.0001) out.push(v);
    }
    return out.length >= 2 ? out : [lo, hi];
  }
  const span = hi - lo || 1;
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? raw;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step / 1000; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

const fmt = (v) => {
  if (v >= 1024 * 1024 && v % (1024 * 1024) === 0) return `${v / 1024 / 1024} Mi`;
  if (Math.abs(v) >= 10_000) return `${Number((v / 1000).toPrecision(3))}k`;
  if (Math.abs(v) >= 100) return String(Math.round(v));
  return String(Number(v.toPrecision(3)));
};

/**
 * @param {{ title: string, x: { label: string, log?: boolean, base?: number, format?: (v: number) => string },
 *   y: { label: string, log?: boolean, zero?: boolean }, series: { name: string, points: [number, number][] }[],
 *   note?: string }} chart
 */
export function lineChart(chart) {
  const all = chart.series
    .flatMap((s) => s.points)
    .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (all.length === 0) return emptyChart(chart.title);
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  const xLog = chart.x.log ?? false;
  const yLog = chart.y.log ?? false;
  const xLo = Math.min(...xs);
  const xHi = Math.max(...xs);
  const yLo = yLog ? Math.min(...ys) : chart.y.zero === false ? Math.min(...ys) : 0;
  const yHi = Math.max(...ys) * (yLog ? 1.2 : 1.08);
  const xt = ticks(xLo, xHi, xLog, chart.x.base ?? 10);
  const yt = ticks(yLo || (yLog ? 0.001 : 0), yHi, yLog, 10);
  const [x0, x1] = [Math.min(xLo, xt[0]), Math.max(xHi, xt[xt.length - 1])];
  const [y0, y1] = [Math.min(yLo, yt[0]), Math.max(yHi, yt[yt.length - 1])];
  const t = (v, lo, hi, log) =>
    log ? (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : (v - lo) / (hi - lo || 1);
  const px = (v) => M.left + t(v, x0, x1, xLog) * (W - M.left - M.right);
  const py = (v) => H - M.bottom - t(v, y0, y1, yLog) * (H - M.top - M.bottom);
  const xFmt = chart.x.format ?? fmt;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12" role="img">`,
    `<title>${esc(chart.title)}</title>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="15" font-weight="600">${esc(chart.title)}</text>`,
  ];
  for (const v of yt) {
    parts.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${py(v)}" y2="${py(v)}" stroke="#e9ecef"/>`,
      `<text x="${M.left - 8}" y="${py(v) + 4}" text-anchor="end" fill="#495057">${esc(fmt(v))}</text>`,
    );
  }
  for (const v of xt) {
    parts.push(
      `<line x1="${px(v)}" x2="${px(v)}" y1="${M.top}" y2="${H - M.bottom}" stroke="#f1f3f5"/>`,
      `<text x="${px(v)}" y="${H - M.bottom + 18}" text-anchor="middle" fill="#495057">${esc(xFmt(v))}</text>`,
    );
  }
  parts.push(
    `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#868e96"/>`,
    `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#868e96"/>`,
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 24}" text-anchor="middle">${esc(chart.x.label)}</text>`,
    `<text x="18" y="${(M.top + H - M.bottom) / 2}" text-anchor="middle" transform="rotate(-90 18 ${(M.top + H - M.bottom) / 2})">${esc(chart.y.label)}</text>`,
  );
  chart.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (pts.length > 1) {
      parts.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(" ")}"/>`,
      );
    }
    for (const [x, y] of pts) {
      parts.push(
        `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3.5" fill="${color}"><title>${esc(`${s.name}: ${xFmt(x)} → ${fmt(y)}`)}</title></circle>`,
      );
    }
    const ly = M.top + 4 + i * 18;
    parts.push(
      `<rect x="${M.left + 12}" y="${ly}" width="14" height="4" fill="${color}"/>`,
      `<text x="${M.left + 32}" y="${ly + 6}">${esc(s.name)}</text>`,
    );
  });
  if (chart.note) {
    parts.push(
      `<text x="${W - M.right}" y="${H - 6}" text-anchor="end" fill="#868e96" font-size="11">${esc(chart.note)}</text>`,
    );
  }
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

function emptyChart(title) {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} 80" width="${W}" height="80" font-family="system-ui, sans-serif" role="img"><title>${esc(title)}</title><text x="${W / 2}" y="44" text-anchor="middle">${esc(title)}: no data in this run</text></svg>\n`;
}

/** "1 KiB", "256 KiB" for byte sizes on an axis. */
export const kib = (v) => (v >= 1024 ? `${Number((v / 1024).toPrecision(3))} KiB` : `${v} B`);
