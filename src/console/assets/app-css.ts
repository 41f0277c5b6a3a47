// The console's one stylesheet, hand-written; served as /console/assets/app.css.
export const APP_CSS = `
:root {
  --ink: #1d2430;
  --muted: #5d6778;
  --faint: #8a93a3;
  --line: #dfe3ea;
  --panel: #ffffff;
  --bg: #f4f6f9;
  --accent: #1f4fd1;
  --accent-dark: #173ea6;
  --accent-soft: #e8eefc;
  --ok: #1e7f3c;
  --ok-soft: #e6f4ea;
  --bad: #b3261e;
  --bad-soft: #fce8e6;
  --warn: #8a4b00;
  --warn-soft: #fef3e0;
  --info: #174ea6;
  --info-soft: #e8f0fe;
  --radius: 8px;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
}
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; font-family: var(--sans); color: var(--ink); background: var(--bg); line-height: 1.45; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
h1 { font-size: 1.6rem; margin: 0.2rem 0 1rem; font-weight: 650; letter-spacing: -0.01em; }
h2 { font-size: 1.15rem; margin: 0 0 0.75rem; font-weight: 620; }
h3 { font-size: 1rem; margin: 0 0 0.5rem; }
p { margin: 0 0 0.75rem; }
code, pre, textarea.code, input.mono { font-family: var(--mono); font-size: 0.86rem; }
code { background: #eef1f5; padding: 0.05rem 0.3rem; border-radius: 4px; overflow-wrap: anywhere; }

.topbar { display: flex; align-items: center; gap: 0.5rem 1.5rem; padding: 0 1.5rem; min-height: 56px; background: #111827; color: #e5e7eb; }
.topbar a { color: #e5e7eb; }
.brand { display: flex; align-items: center; gap: 0.5rem; font-weight: 700; font-size: 1.05rem; color: #fff !important; flex: none; }
.brand:hover { text-decoration: none; }
.logo { width: 22px; height: 22px; border-radius: 6px; background: url("/console/assets/icon.svg") center / cover; display: inline-block; flex: none; }
.sections { display: flex; gap: 0.25rem; flex: 1; min-width: 0; }
.sections a { padding: 0.45rem 0.8rem; border-radius: 6px; color: #cbd2dc; white-space: nowrap; }
.sections a:hover { background: #1f2937; text-decoration: none; color: #fff; }
.sections a.active { background: #374151; color: #fff; }
.who { display: flex; align-items: center; gap: 0.75rem; font-size: 0.9rem; color: #cbd2dc; flex: none; }
.who form { margin: 0; display: flex; align-items: center; gap: 0.4rem; }
.who label { display: flex; align-items: center; gap: 0.4rem; margin: 0; font-weight: 400; color: #cbd2dc; }
/* .topbar raises these above the form rules below (input:not([type]) { width: 100% }). */
.topbar .who input { background: #1f2937; border-color: #374151; color: #fff; padding: 0.25rem 0.45rem; width: 9rem; flex: none; }
.who button { white-space: nowrap; }
.tenant-fixed { white-space: nowrap; }
.tenant-fixed strong { color: #fff; }
/* Narrow screens: brand and account on the first row, the sections on a second one. */
@media (max-width: 900px) {
  .topbar { flex-wrap: wrap; padding: 0.5rem 1rem 0; column-gap: 0.75rem; }
  .who { margin-left: auto; gap: 0.5rem; }
  .topbar .who input { width: 6.5rem; }
  .sections { order: 3; flex: 1 0 100%; margin: 0 -0.5rem; padding-bottom: 0.35rem; overflow-x: auto; }
  .sections a { padding: 0.4rem 0.55rem; }
}
@media (max-width: 440px) {
  .brand-name, .who .label-text { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  .sections a { font-size: 0.93rem; }
}

.page { max-width: 1180px; margin: 0 auto; padding: 1.25rem 1.5rem 3rem; }
.bare { max-width: 440px; margin: 9vh auto 3rem; padding: 0 1rem; }
.crumbs { font-size: 0.88rem; color: var(--muted); margin-bottom: 0.25rem; }
.crumbs .sep { margin: 0 0.4rem; color: var(--faint); }
.title-row { display: flex; align-items: baseline; gap: 0.75rem; flex-wrap: wrap; margin-bottom: 1rem; }
.title-row h1 { margin: 0; overflow-wrap: anywhere; }
.title-row .actions { margin-left: auto; display: flex; gap: 0.5rem; flex-wrap: wrap; }
.title-row .actions form { margin: 0; }
.lead { color: var(--muted); margin-top: -0.5rem; }

.card { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 1.1rem 1.25rem; margin-bottom: 1.25rem; }
.card > h2:first-child { display: flex; align-items: center; gap: 0.5rem; }
details.card > summary { cursor: pointer; list-style-position: inside; }
details.card > summary h2 { display: inline; margin: 0; }
details.card[open] > summary { margin-bottom: 0.75rem; }
.card .card-note { color: var(--muted); font-size: 0.88rem; margin-top: -0.4rem; }
.grid { display: grid; gap: 1.25rem; margin-bottom: 1.25rem; align-items: start; }
.grid.two { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
.grid.three { grid-template-columns: repeat(3, minmax(0, 1fr)); }
.grid.side { grid-template-columns: minmax(0, 2fr) minmax(280px, 1fr); }
.grid > .card { margin-bottom: 0; }
.stack > * + * { margin-top: 1.25rem; }
.stack > .card { margin-bottom: 0; }
@media (max-width: 900px) { .grid.two, .grid.three, .grid.side { grid-template-columns: 1fr; } }

label { display: block; font-weight: 600; font-size: 0.88rem; margin: 0 0 0.3rem; }
.hint { font-weight: 400; color: var(--muted); font-size: 0.84rem; }
input, select, textarea { font: inherit; color: inherit; border: 1px solid #c7cdd6; border-radius: 6px; padding: 0.45rem 0.6rem; background: #fff; }
input:focus, select:focus, textarea:focus { outline: 2px solid var(--accent-soft); border-color: var(--accent); }
input[type="text"], input[type="password"], input:not([type]), select, textarea { width: 100%; }
textarea.code { min-height: 14rem; resize: vertical; line-height: 1.4; tab-size: 2; white-space: pre; }
textarea.code.tall { min-height: 26rem; }
textarea.code.short { min-height: 5rem; }
.callbacks { border-color: #b6cbf3; }
.callback + .callback { border-top: 1px solid var(--line); margin-top: 1rem; padding-top: 1rem; }
.callback .grid { margin-bottom: 0; }
.callback .form-title { font-weight: 600; font-size: 0.9rem; color: var(--muted); margin-bottom: 0.5rem; }
.field { margin-bottom: 0.9rem; }
fieldset { border: none; padding: 0; margin: 0 0 0.9rem; min-width: 0; }
legend { font-weight: 600; font-size: 0.88rem; padding: 0; margin-bottom: 0.3rem; }
label.check { display: flex; gap: 0.45rem; align-items: baseline; font-weight: 400; font-size: 0.92rem; margin-bottom: 0.3rem; }
label.check input { width: auto; margin: 0; }
pre.secret { user-select: all; font-size: 0.84rem; margin-top: 0.4rem; }
.row { display: flex; gap: 0.75rem; align-items: flex-end; flex-wrap: wrap; }
.row > .field { flex: 1; min-width: 10rem; margin-bottom: 0; }
.row > .field.narrow { flex: 0 0 9rem; min-width: 0; }
form.inline { display: inline; margin: 0; }
.filter-row { margin-bottom: 1rem; }
.form-actions { display: flex; gap: 0.6rem; align-items: center; flex-wrap: wrap; margin-top: 0.9rem; }

button, .button { white-space: nowrap; font: inherit; font-weight: 600; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 6px; padding: 0.45rem 0.95rem; cursor: pointer; display: inline-block; line-height: 1.3; }
button:hover, .button:hover { background: var(--accent-dark); text-decoration: none; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
button.secondary:hover, .button.secondary:hover { background: var(--accent-soft); }
button.danger { background: #fff; color: var(--bad); border-color: #e2a29d; }
button.danger:hover { background: var(--bad-soft); }
button.small, .button.small { padding: 0.25rem 0.6rem; font-size: 0.85rem; }
button.ghost { background: transparent; border-color: #4b5563; color: #e5e7eb; }
button.ghost:hover { background: #1f2937; }
button:disabled { opacity: 0.55; cursor: default; }

table { width: 100%; border-collapse: collapse; font-size: 0.92rem; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.03em; border-bottom: 1px solid var(--line); padding: 0.45rem 0.6rem; }
td { border-bottom: 1px solid #eef0f4; padding: 0.5rem 0.6rem; vertical-align: top; overflow-wrap: anywhere; }
tr:last-child td { border-bottom: none; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.table-scroll { overflow-x: auto; }
.nowrap { white-space: nowrap; }
@media (max-width: 600px) { th.wide-only, td.wide-only { display: none; } }
tr.current td { background: #f7f9ff; }
.pager { display: flex; justify-content: flex-end; gap: 0.5rem; margin-top: 0.75rem; }

dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.35rem 1.25rem; margin: 0; }
dl.facts dt { color: var(--muted); font-size: 0.88rem; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }

pre.json { background: #f7f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 0.7rem 0.85rem; margin: 0; max-height: 26rem; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
pre.json.short { max-height: 8rem; }

.alert { border-radius: var(--radius); padding: 0.7rem 0.95rem; margin-bottom: 1rem; border: 1px solid; }
.alert p:last-child, .alert ul:last-child { margin-bottom: 0; }
.alert.ok { background: var(--ok-soft); border-color: #a8d5b5; color: #124d25; }
.alert.info { background: var(--info-soft); border-color: #b6cbf3; color: #123a7c; }
.alert.warn { background: var(--warn-soft); border-color: #f1cf95; color: #6a3a00; }
.alert.error { background: var(--bad-soft); border-color: #f0b4ae; color: #7a1712; }
.field-errors { margin: 0.3rem 0 0.5rem 1.1rem; padding: 0; }
.muted { color: var(--muted); }
.small { font-size: 0.85rem; }
.empty { color: var(--muted); padding: 1rem 0; text-align: center; margin: 0; }

.badge { display: inline-block; font-size: 0.75rem; font-weight: 700; letter-spacing: 0.03em; padding: 0.12rem 0.5rem; border-radius: 999px; background: #eef0f4; color: var(--muted); border: 1px solid transparent; white-space: nowrap; }
.status-running { background: var(--info-soft); color: var(--info); border-color: #b6cbf3; }
.status-succeeded { background: var(--ok-soft); color: var(--ok); border-color: #a8d5b5; }
.status-failed, .status-timed_out { background: var(--bad-soft); color: var(--bad); border-color: #f0b4ae; }
.status-active { background: var(--ok-soft); color: var(--ok); border-color: #a8d5b5; }
.status-building { background: var(--info-soft); color: var(--info); border-color: #b6cbf3; }
textarea.code.short { min-height: 4.5rem; }
label.check { display: flex; align-items: center; gap: 0.4rem; align-self: end; padding-bottom: 0.5rem; }
.query-form { margin-top: 1.25rem; }
.results { margin-top: 1rem; }
.status-aborted { background: var(--warn-soft); color: var(--warn); border-color: #f1cf95; }
.badge.error { background: var(--bad-soft); color: var(--bad); }
.badge.warning { background: var(--warn-soft); color: var(--warn); }

.filters { display: flex; gap: 0.35rem; flex-wrap: wrap; margin-bottom: 0.75rem; }
.filters a { padding: 0.2rem 0.65rem; border-radius: 999px; border: 1px solid var(--line); background: #fff; font-size: 0.85rem; color: var(--muted); }
.filters a.active { background: var(--accent); color: #fff; border-color: var(--accent); }

.diagram { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem; overflow: auto; text-align: center; }
/* Fit the box. The script lets a diagram that would shrink below 70% keep that size and scroll
   inside its box instead (a wide machine on a phone); the page itself never scrolls sideways. */
.diagram img { max-width: 100%; height: auto; }
.diagram.preview { min-height: 8rem; display: flex; align-items: center; justify-content: center; }

.diagnostics { list-style: none; margin: 0; padding: 0; }
.diagnostics li { display: flex; gap: 0.6rem; align-items: baseline; padding: 0.4rem 0; border-bottom: 1px solid #eef0f4; font-size: 0.9rem; }
.diagnostics li:last-child { border-bottom: none; }
.diagnostics button.pointer { background: none; border: none; color: var(--accent); padding: 0; font-family: var(--mono); font-size: 0.84rem; font-weight: 400; text-align: left; flex: none; max-width: 45%; overflow-wrap: break-word; }
.diagnostics .badge { flex: none; }
.diagnostics button.pointer:hover { text-decoration: underline; background: none; }
.validity { font-weight: 600; }
.validity.valid { color: var(--ok); }
.validity.invalid { color: var(--bad); }

.timeline { list-style: none; margin: 0; padding: 0; }
.timeline li { display: grid; grid-template-columns: 2.5rem 7.5rem 4.5rem minmax(0, 1fr); gap: 0.75rem; padding: 0.5rem 0; border-bottom: 1px solid #eef0f4; font-size: 0.9rem; }
.timeline li:last-child { border-bottom: none; }
.timeline .id { color: var(--faint); text-align: right; font-variant-numeric: tabular-nums; }
.timeline time, .timeline .offset { font-variant-numeric: tabular-nums; }
.timeline .offset { color: var(--faint); text-align: right; }
.timeline .type { font-weight: 600; }
.timeline .type.bad { color: var(--bad); }
.timeline .type.good { color: var(--ok); }
.timeline details { margin-top: 0.25rem; }
.timeline summary { cursor: pointer; color: var(--muted); font-size: 0.85rem; }
.event-details { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.3rem 0.75rem; margin: 0.4rem 0 0; font-size: 0.86rem; }
.event-details dt { color: var(--muted); font-family: var(--mono); font-size: 0.8rem; padding-top: 0.15rem; }
.event-details dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
@media (max-width: 600px) { .event-details { grid-template-columns: minmax(0, 1fr); } .event-details dd { margin-bottom: 0.3rem; } }

.stats { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 1.25rem; margin-bottom: 1.25rem; }
.stat.card { display: flex; flex-direction: column; gap: 0.1rem; margin: 0; color: var(--ink); }
.stat.card:hover { border-color: var(--accent); text-decoration: none; }
.stat-value { font-size: 1.9rem; font-weight: 700; line-height: 1.1; font-variant-numeric: tabular-nums; }
.stat-label { font-weight: 600; }
@media (max-width: 900px) { .stats { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0.75rem; } }
.type-list { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5rem; }
.type-list a { display: inline-block; padding: 0.3rem 0.75rem; border: 1px solid var(--line); border-radius: 999px; background: #fff; font-family: var(--mono); font-size: 0.88rem; }
.type-list a:hover { border-color: var(--accent); text-decoration: none; }
.cards { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 1.25rem; }
.cards .card h2 a { color: var(--ink); }
.cards > .card { margin-bottom: 0; }
@media (max-width: 900px) { .cards { grid-template-columns: 1fr; } }

.signin h1 { text-align: center; }
.signin .brand-big { display: flex; justify-content: center; align-items: center; gap: 0.6rem; font-size: 1.4rem; font-weight: 700; margin-bottom: 1.25rem; }
.signin .brand-big .logo { width: 34px; height: 34px; border-radius: 9px; }
.signin button[type="submit"] { width: 100%; padding: 0.6rem; }
.live-dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: var(--info); margin-right: 0.35rem; animation: pulse 1.2s ease-in-out infinite; }
@keyframes pulse { 50% { opacity: 0.25; } }

/* Phones: tighter margins; the history drops the clock time (the offset from the start stays, and
   the time is in each row's tooltip). */
@media (max-width: 600px) {
  .page { padding: 1rem 0.75rem 2rem; }
  .card { padding: 0.9rem 0.85rem; }
  h1 { font-size: 1.4rem; }
  textarea.code { min-height: 9rem; }
  textarea.code.tall { min-height: 20rem; }
  .timeline li { grid-template-columns: 2rem 4rem minmax(0, 1fr); gap: 0.5rem; }
  .timeline li > time { display: none; }
}
`;
