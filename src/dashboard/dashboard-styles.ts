/** The dashboard's stylesheet, served as `/self-healing/assets/dashboard.css`: system fonts only, one column on a phone. */
export const DASHBOARD_STYLES = String.raw`
:root { --bg: #f6f7f9; --panel: #fff; --text: #1c2330; --muted: #5d6778; --line: #dde1e8; --accent: #2f5fd0;
  --ok: #1b7f4b; --warn: #a8650a; --bad: #b3261e; --fill: #2f5fd0; --healed: #6b3fc7; color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--text); }
a { color: var(--accent); }
code, pre { font: 13px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; overflow-wrap: anywhere; }
pre { background: var(--bg); padding: .5rem; border-radius: 6px; overflow: auto; max-height: 20rem; }
.top { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; padding: .6rem 1rem; background: var(--panel); border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; text-decoration: none; color: var(--text); }
nav { display: flex; gap: 1rem; }
nav a[aria-current="page"] { font-weight: 700; text-decoration: none; color: var(--text); }
.live { margin-left: auto; font-size: .85rem; color: var(--muted); }
.live[data-state="on"]::before { content: "● "; color: var(--ok); }
.live[data-state="retry"]::before { content: "● "; color: var(--warn); }
main { padding: 1rem; max-width: 1280px; margin: 0 auto; }
h1 { font-size: 1.4rem; margin: .25rem 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.05rem; margin: 0 0 .6rem; }
h3 { font-size: .95rem; margin: 1rem 0 .4rem; }
.nodes { margin: 0; padding-left: 1.1rem; }
.grid { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1rem; }
@media (min-width: 900px) { .grid { grid-template-columns: repeat(2, minmax(0, 1fr)); } .wide { grid-column: 1 / -1; } }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 1rem; min-width: 0; }
.muted { color: var(--muted); }
.empty, .unavailable { color: var(--muted); font-style: italic; }
.unavailable.error { color: var(--bad); font-style: normal; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: .75rem; margin: 0 0 1rem; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: .6rem .8rem; }
.card dt { font-size: .8rem; color: var(--muted); }
.card dd { margin: 0; font-size: 1.6rem; font-weight: 700; }
.chart { margin: 0; }
.chart svg { width: 100%; height: auto; max-height: 240px; }
.chart .axis { stroke: var(--line); }
.chart .tick { font-size: 14px; fill: var(--muted); }
.chart .line { fill: none; stroke-width: 2.5; }
.line.patterns, .key.patterns::before { stroke: #2f5fd0; background: #2f5fd0; }
.line.heals, .key.heals::before { stroke: #1b7f4b; background: #1b7f4b; }
.line.rate, .key.rate::before { stroke: #a8650a; background: #a8650a; stroke-dasharray: 5 4; }
.legend { font-size: .85rem; color: var(--muted); display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
.key::before { content: ""; display: inline-block; width: .9rem; height: .25rem; margin-right: .35rem; vertical-align: middle; }
.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: .9rem; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .8rem; color: var(--muted); font-weight: 600; }
.num { text-align: right; white-space: nowrap; }
td.template code { display: inline-block; max-width: 42rem; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 999px; font-size: .78rem; border: 1px solid var(--line); white-space: nowrap; }
.state-completed, .validation-validated, .health-ok { background: #e3f4ea; color: var(--ok); border-color: #b9e2c9; }
.state-failed, .validation-failed, .health-failing, .escalated { background: #fbe7e5; color: var(--bad); border-color: #f1c1bc; }
.state-running, .validation-pending, .health-degraded { background: #fdf1de; color: var(--warn); border-color: #f2d6a6; }
.healed { background: #efe8fb; color: var(--healed); border-color: #d6c7f4; }
.new { background: #e6eefc; color: var(--accent); }
.states { display: inline-flex; flex-wrap: wrap; gap: .25rem; }
.progress { min-width: 11rem; }
.progress-label { font-size: .85rem; }
.progress-track { height: .45rem; background: var(--line); border-radius: 999px; overflow: hidden; }
.progress-fill { height: 100%; background: var(--fill); }
.last-error { font-size: .8rem; color: var(--bad); max-width: 30rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.bars { list-style: none; padding: 0; margin: 0; display: grid; gap: .45rem; }
.bars li { display: grid; grid-template-columns: minmax(6rem, 9rem) 1fr auto; gap: .5rem; align-items: center; font-size: .88rem; }
.bar-track { height: .7rem; background: var(--bg); border-radius: 4px; overflow: hidden; }
.bar-fill { display: block; height: 100%; background: var(--fill); }
.facts { display: grid; grid-template-columns: minmax(7rem, max-content) 1fr; gap: .35rem 1rem; margin: 0; }
.facts dt { color: var(--muted); font-size: .85rem; }
.facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
@media (max-width: 560px) { .facts { grid-template-columns: 1fr; } .facts dd { margin-bottom: .4rem; } .bars li { grid-template-columns: 1fr; } }
button { font: inherit; padding: .45rem .9rem; border-radius: 8px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button:disabled { opacity: .6; cursor: progress; }
button.link { background: none; border: none; color: var(--accent); padding: 0; }
output { display: block; margin-top: .6rem; }
.scan-results { padding-left: 1.1rem; }
.filter { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-bottom: .75rem; }
select, input, textarea { font: inherit; padding: .35rem .5rem; border: 1px solid var(--line); border-radius: 6px; max-width: 100%; }
#edit-pattern { display: grid; gap: .4rem; margin-top: .6rem; }
#edit-pattern textarea, #edit-pattern input { width: 100%; }
.occurrences, .healed-jobs { padding-left: 1.1rem; }
.occurrences li, .healed-jobs li { margin-bottom: .3rem; }
.key-prompt form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
:focus-visible { outline: 3px solid #7aa2f7; outline-offset: 2px; }
`;
