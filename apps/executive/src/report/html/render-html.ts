// report.html: one self-contained page (inline CSS and SVG, no script, no request: the
// Content-Security-Policy forbids any). Pure: report + story in, HTML text out.
import type { SectionResult, TestError, TestReport } from "../model.js";
import type { Lane, LaneMark, MarkKind, RunStory } from "./run-story.js";

const esc = (value: unknown) => String(value).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const shortHash = (hash: string) => (hash.length > 14 ? `${hash.slice(0, 8)}…${hash.slice(-4)}` : hash);

const SECTION_MARK: Record<SectionResult["status"], string> = { passed: "✓", soft: "!", failed: "✗" };
const COLORS: Record<MarkKind, string> = {
  produced: "#1a7f37",
  received: "#0969da",
  started: "#2da44e",
  stopped: "#6e7781",
  crashed: "#cf222e",
  offline: "#9a6700",
  error: "#cf222e",
  warning: "#bf8700",
};
const LEGEND: [MarkKind, string][] = [
  ["produced", "block produced"],
  ["received", "block received"],
  ["started", "daemon started"],
  ["stopped", "daemon stopped"],
  ["crashed", "daemon crashed"],
  ["offline", "node offline"],
  ["error", "error"],
  ["warning", "warning"],
];

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; margin: 24px auto; max-width: 1200px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
.meta { color: #57606a; } .badge { display: inline-block; padding: 1px 10px; border-radius: 12px; color: #fff; font-weight: 600; }
.passed { background: #1a7f37; } .soft { background: #bf8700; } .failed { background: #cf222e; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.mark { font-weight: 700; width: 1.5em; } .mark.passed { color: #1a7f37; background: none; } .mark.soft { color: #bf8700; background: none; } .mark.failed { color: #cf222e; background: none; }
.errors { margin: 2px 0 0; padding-left: 18px; color: #cf222e; white-space: pre-wrap; } .errors .soft-error { color: #9a6700; }
pre { white-space: pre-wrap; background: #fff8f8; border: 1px solid #ffcecb; padding: 8px; border-radius: 6px; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; } .fork { background: #fff8c5; }
.legend span { margin-right: 14px; white-space: nowrap; } .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
svg text { font: 12px system-ui, sans-serif; fill: #1f2328; } .empty { color: #57606a; font-style: italic; }
`;

function errorItems(errors: readonly TestError[]): string {
  if (errors.length === 0) return "";
  const items = errors.map((e) => `<li class="${e.severity === "soft" ? "soft-error" : ""}">${esc(e.severity)}${e.node ? ` (${esc(e.node)})` : ""}: ${esc(e.message)}</li>`);
  return `<ul class="errors">${items.join("")}</ul>`;
}

function sectionsHtml(report: TestReport): string {
  const names = new Set(report.sections.map((s) => s.name));
  const rows = report.sections.map((s, i) => {
    const mine = report.errors.filter((e) => e.section === s.name);
    return `<tr data-section="${esc(s.name)}"><td class="num">${i + 1}</td><td class="mark ${s.status}">${SECTION_MARK[s.status]}</td><td>${esc(s.name)}${errorItems(mine)}</td><td>${esc(s.status)}</td><td class="num">${seconds(s.durationMs)}</td></tr>`;
  });
  const elsewhere = report.errors.filter((e) => !names.has(e.section));
  const others = [...new Set(elsewhere.map((e) => e.section))].map(
    (where) => `<tr><td></td><td class="mark failed">✗</td><td>${esc(where)}${errorItems(elsewhere.filter((e) => e.section === where))}</td><td></td><td></td></tr>`,
  );
  if (rows.length + others.length === 0) return `<p class="empty">No section ran.</p>`;
  return `<table><thead><tr><th>#</th><th></th><th>section</th><th>status</th><th>time</th></tr></thead><tbody>${rows.join("")}${others.join("")}</tbody></table>`;
}

function markShape(mark: LaneMark, x: number, y: number): string {
  const color = COLORS[mark.kind];
  const title = `<title>${esc(`${seconds(mark.atMs)}: ${mark.label}`)}</title>`;
  switch (mark.kind) {
    case "produced":
      return `<path d="M${x} ${y - 8} L${x + 7} ${y + 6} L${x - 7} ${y + 6} Z" fill="${color}">${title}</path>`;
    case "received":
      return `<circle cx="${x}" cy="${y}" r="3.5" fill="${color}" fill-opacity="0.75">${title}</circle>`;
    case "error":
    case "warning":
      return `<path d="M${x - 5} ${y - 5} L${x + 5} ${y + 5} M${x + 5} ${y - 5} L${x - 5} ${y + 5}" stroke="${color}" stroke-width="2.5">${title}</path>`;
    default:
      return `<rect x="${x - 2}" y="${y - 11}" width="4" height="22" fill="${color}">${title}</rect>`;
  }
}

function timelineSvg(report: TestReport, lanes: readonly Lane[]): string {
  const labelWidth = 170;
  const width = 1160;
  const plot = width - labelWidth - 20;
  const laneHeight = 34;
  const sectionBand = 30;
  const axis = 24;
  const startMs = Date.parse(report.startedAt);
  const totalMs = Math.max(1000, report.durationMs, ...lanes.flatMap((l) => l.marks.map((m) => m.atMs)));
  const xOf = (ms: number) => labelWidth + (Math.min(ms, totalMs) / totalMs) * plot;
  const height = sectionBand + lanes.length * laneHeight + axis + 8;
  const parts: string[] = [];
  // sections as bands over the whole plot, so that every mark can be read against them
  report.sections.forEach((s, i) => {
    if (!s.startedAt) return;
    const x0 = xOf(Date.parse(s.startedAt) - startMs);
    const x1 = Math.max(x0 + 2, xOf(Date.parse(s.startedAt) - startMs + s.durationMs));
    const fill = s.status === "passed" ? "#dafbe1" : s.status === "soft" ? "#fff8c5" : "#ffebe9";
    parts.push(
      `<rect x="${x0}" y="0" width="${x1 - x0}" height="${height - axis}" fill="${fill}" fill-opacity="${i % 2 ? 0.55 : 0.85}"><title>${esc(`${s.name}: ${s.status}, ${seconds(s.durationMs)}`)}</title></rect>`,
    );
    // a band too narrow for its name shows the section's number (the Sections table numbers them)
    const label = x1 - x0 > 7 * s.name.length + 28 ? `${i + 1} ${SECTION_MARK[s.status]} ${s.name}` : `${i + 1}`;
    parts.push(`<text x="${x0 + 4}" y="18" clip-path="url(#clip-${i})">${esc(label)}</text>`);
    parts.push(`<clipPath id="clip-${i}"><rect x="${x0}" y="0" width="${Math.max(0, x1 - x0 - 4)}" height="${sectionBand}"/></clipPath>`);
  });
  lanes.forEach((lane, i) => {
    const y = sectionBand + i * laneHeight + laneHeight / 2;
    parts.push(`<g class="lane" data-node="${esc(lane.node)}">`);
    parts.push(`<line x1="${labelWidth}" x2="${labelWidth + plot}" y1="${y}" y2="${y}" stroke="#d0d7de"/>`);
    parts.push(`<text x="6" y="${y - 2}" font-weight="600">${esc(lane.node)}</text><text x="6" y="${y + 12}" fill="#57606a" style="fill:#57606a;font-size:11px">${esc(lane.role)}</text>`);
    for (const mark of lane.marks) parts.push(markShape(mark, xOf(mark.atMs), y));
    parts.push(`</g>`);
  });
  const axisY = sectionBand + lanes.length * laneHeight + 4;
  parts.push(`<line x1="${labelWidth}" x2="${labelWidth + plot}" y1="${axisY}" y2="${axisY}" stroke="#57606a"/>`);
  const step = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600].find((s) => totalMs / 1000 / s <= 12) ?? 7200;
  for (let t = 0; t * 1000 <= totalMs; t += step) {
    const x = xOf(t * 1000);
    parts.push(`<line x1="${x}" x2="${x}" y1="${axisY}" y2="${axisY + 5}" stroke="#57606a"/><text x="${x}" y="${axisY + 18}" text-anchor="middle">${t} s</text>`);
  }
  return `<svg id="timeline" role="img" aria-label="timeline, one lane per node" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">${parts.join("")}</svg>`;
}

function chainHtml(story: RunStory): string {
  const views = story.views.map((v) => {
    const block = v.bestTip ? story.blocks.find((b) => b.stateHash === v.bestTip) : undefined;
    return `<tr><td>${esc(v.node)}</td><td class="num">${v.bestTipHeight ?? "–"}</td><td>${v.bestTip ? `<code>${esc(shortHash(v.bestTip))}</code>` : '<span class="empty">no best tip reported</span>'}</td><td>${block ? esc(block.producer) : v.bestTip ? '<span class="empty">genesis or not produced in this run</span>' : ""}</td><td class="num">${v.bestTipChanges}</td></tr>`;
  });
  const viewTable = `<table><thead><tr><th>node</th><th>best tip height</th><th>best tip</th><th>produced by</th><th>best tip changes</th></tr></thead><tbody>${views.join("")}</tbody></table>`;
  const forks =
    story.forkHeights.length === 0
      ? "<p>No fork: one block was produced at each height.</p>"
      : `<p>Forks at height ${story.forkHeights.join(", ")} (highlighted): more than one block was produced there.</p>`;
  const forkSet = new Set(story.forkHeights);
  const rows = story.blocks.slice(0, 200).map((b) => {
    const holders = story.onBestChainOf[b.stateHash] ?? [];
    return `<tr class="${forkSet.has(b.height) ? "fork" : ""}"><td class="num">${b.height}</td><td class="num">${b.slot}</td><td><code title="${esc(b.stateHash)}">${esc(shortHash(b.stateHash))}</code></td><td><code title="${esc(b.previousStateHash)}">${esc(shortHash(b.previousStateHash))}</code></td><td>${esc(b.producer)}</td><td>${holders.length ? esc(holders.join(", ")) : '<span class="empty">on no node\'s best chain</span>'}</td></tr>`;
  });
  const more = story.blocks.length > 200 ? `<p class="empty">${story.blocks.length - 200} older blocks not shown.</p>` : "";
  const blocks =
    story.blocks.length === 0
      ? '<p class="empty">No block was produced.</p>'
      : `<table><thead><tr><th>height</th><th>slot</th><th>block</th><th>parent</th><th>produced by</th><th>on the final best chain of</th></tr></thead><tbody>${rows.join("")}</tbody></table>${more}`;
  return `${viewTable}<h3>Blocks produced</h3>${forks}${blocks}`;
}

function pipelineHtml(report: TestReport): string {
  const p = report.pipeline;
  if (!p) return '<p class="empty">The log pipeline did not run (dry run, or setup failed before it started).</p>';
  const rows: [string, string][] = [
    ["lines relayed from the FIFO to the bus", String(p.linesRelayed)],
    ["lines received from the bus", String(p.linesReceived)],
    ["lines lost", String(p.linesLost)],
    ["unparsable lines", String(p.parseErrors)],
    ["events received", String(p.eventsReceived)],
    ["max lag (node to executive)", seconds(p.maxLagMs)],
  ];
  return `<table><tbody>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td class="num">${esc(v)}</td></tr>`).join("")}</tbody></table>`;
}

export function renderHtmlReport(report: TestReport, story: RunStory): string {
  const status = report.outcome === "passed" ? "passed" : report.outcome === "soft-errors" ? "soft" : "failed";
  const legend = LEGEND.map(([kind, text]) => `<span><i style="background:${COLORS[kind]}"></i>${esc(text)}</span>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(report.test)}: ${esc(report.outcome)} (run ${esc(report.runId)})</title>
<style>${STYLE}</style></head>
<body>
<header><h1 id="test-name">${esc(report.test)} <span class="badge ${status}">${esc(report.outcome)}</span></h1>
<div class="meta">run <code>${esc(report.runId)}</code> · started ${esc(report.startedAt)} · ${seconds(report.durationMs)} · image <code>${esc(report.image)}</code> · ${story.lanes.length} nodes</div>
${report.failure ? `<pre>${esc(report.failure)}</pre>` : ""}</header>
<section id="sections"><h2>Sections</h2>${sectionsHtml(report)}</section>
<section id="timeline-section"><h2>Timeline</h2><p class="legend">${legend}</p>${story.lanes.length ? timelineSvg(report, story.lanes) : '<p class="empty">No node ran.</p>'}<p class="meta">Hover a mark for its time and details. Sections are the shaded bands.</p></section>
<section id="chain"><h2>The chain as the nodes saw it</h2>${chainHtml(story)}</section>
<section id="pipeline"><h2>Log pipeline</h2>${pipelineHtml(report)}</section>
</body></html>
`;
}
