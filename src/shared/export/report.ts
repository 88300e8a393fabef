/**
 * One self-contained HTML page for sharing a finding: the scenario (with its design explained),
 * the figures inline as SVG, the checks with their sources, the metrics, the events the failing
 * checks point at, and the scenario file itself. No script, no remote content: the page carries a
 * Content-Security-Policy that forbids both.
 */
import { escapeHtml } from '../charts/palette'
import { eventInfo } from '../events'
import { DESIGN_NOTES } from '../lab/designNotes'
import type { RunResult } from '../result'

export interface ReportInput {
  result: RunResult
  /** The figures as SVG documents, with a caption each. */
  figures: readonly { caption: string; svg: string }[]
  /** Who made the report and when, e.g. "vCPU Lab 0.1.0, 2026-11-21 14:02". */
  generatedBy: string
}

const CSS = `
body{font-family:'DejaVu Sans',system-ui,sans-serif;margin:32px auto;max-width:1240px;color:#1f2328;line-height:1.45;padding:0 16px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d8dadd;padding-bottom:4px}
.muted{color:#5c6370}.note{border-left:4px solid #2f6fde;padding:6px 12px;background:#f3f6fc;margin:12px 0}
figure{margin:16px 0}figure svg{max-width:100%;height:auto}figcaption{color:#5c6370;font-size:13px}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border-bottom:1px solid #e4e6e9;padding:4px 8px;text-align:left;vertical-align:top}
.ok{color:#1a7f37;font-weight:bold}.bad{color:#d1242f;font-weight:bold}code,pre{font-family:'DejaVu Sans Mono',monospace;font-size:12px}
pre{background:#f6f8fa;padding:10px;overflow:auto}
`

export function buildReportHtml(input: ReportInput): string {
  const r = input.result
  const e = escapeHtml
  const note = DESIGN_NOTES.find((n) => n.engine === r.engine && n.design === r.design)
  const failing = r.checks.filter((c) => !c.ok)
  const refs = [...new Set(failing.flatMap((c) => c.refs))].sort((a, b) => a - b).slice(0, 100)
  const checks = r.checks
    .map(
      (c) =>
        `<tr><td class="${c.ok ? 'ok' : 'bad'}">${c.ok ? '✓ holds' : '✗ fails'}</td><td>${e(c.message)}</td>` +
        `<td class="muted">${e(c.source)}${c.confidence === 'source' ? '' : ` <em>(${e(c.confidence)})</em>`}</td></tr>`,
    )
    .join('')
  const metrics = Object.entries(r.metrics)
    .map(
      ([k, m]) =>
        `<tr><td>${e(m.label)}</td><td><b>${m.value.toLocaleString('en-US')}</b> ${e(m.unit)}</td><td class="muted"><code>${e(k)}</code></td></tr>`,
    )
    .join('')
  const events = refs
    .map((i) => {
      const ev = r.events[i]
      if (!ev) return ''
      const info = eventInfo(ev)
      return `<tr><td>${i}</td><td>${ev.at}</td><td>${e(info.title)}</td><td>${e(info.result)}</td></tr>`
    })
    .join('')
  const figures = input.figures
    .map(
      (f) =>
        `<figure>${f.svg.replace(/^<\?xml[^>]*>\s*/, '')}<figcaption>${e(f.caption)}</figcaption></figure>`,
    )
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${e(r.scenario.name)} · vCPU Lab report</title>
<style>${CSS}</style></head>
<body>
<h1>${e(r.scenario.name)}</h1>
<p class="muted">${e(r.engine)} engine ${e(r.engineVersion)} · design <b>${e(r.design)}</b> · seed ${r.seed} · ${e(input.generatedBy)}</p>
${r.scenario.description ? `<p>${e(r.scenario.description)}</p>` : ''}
${note ? `<div class="note"><b>${e(note.design)}</b>: ${e(note.title)} · <span class="muted">${e(note.commit)}</span><br>${e(note.text)}</div>` : ''}
<p><b>${r.checks.length - failing.length} of ${r.checks.length} checks hold.</b> ${failing.length ? `Failing: ${failing.map((c) => e(c.id)).join(', ')}.` : ''}</p>
<h2>Figures</h2>
${figures}
<h2>Checks</h2>
<table><thead><tr><th></th><th>what</th><th>source</th></tr></thead><tbody>${checks}</tbody></table>
<h2>Metrics</h2>
<table><tbody>${metrics}</tbody></table>
${events ? `<h2>Events the failing checks point at</h2><table><thead><tr><th>#</th><th>tick</th><th>event</th><th>result</th></tr></thead><tbody>${events}</tbody></table>` : ''}
<h2>Timeline unit</h2><p>${e(r.timeline.tickUnit)}</p>
<h2>Scenario</h2>
<pre>${e(JSON.stringify(r.scenario, null, 2))}</pre>
</body></html>
`
}
