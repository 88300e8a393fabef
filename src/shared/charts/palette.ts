/** Colours shared by every chart, in a light and a dark variant (the app follows the system). */

/** An ECharts option object; built by pure functions, passed to `setOption` as is. */
export type ChartOption = Record<string, unknown>

export interface Palette {
  dark: boolean
  background: string
  text: string
  muted: string
  grid: string
  guest: string
  guestText: string
  noVcpu: string
  idle: string
  bad: string
  good: string
  selected: string
  badge: string
  badgeText: string
  /** Every other timeline row. */
  rowAlt: string
  /** Background of a selected row or thread. */
  highlight: string
  /** Something odd that is not a failure (an id used that is not the CPU's own, a nap). */
  warn: string
  /** The shading drawn over napping threads. */
  hatch: string
}

export const LIGHT: Palette = {
  dark: false,
  background: '#ffffff',
  text: '#1f2328',
  muted: '#5c6370',
  grid: '#c9ccd1',
  guest: '#2f6fde',
  guestText: '#ffffff',
  noVcpu: '#f3c94f',
  idle: '#ecedef',
  bad: '#d1242f',
  good: '#1a7f37',
  selected: '#8250df',
  badge: '#1f2328',
  badgeText: '#ffffff',
  rowAlt: '#f6f7f9',
  highlight: '#e9e1fb',
  warn: '#bf8700',
  hatch: 'rgba(31, 35, 40, 0.35)',
}

export const DARK: Palette = {
  dark: true,
  background: '#16181d',
  text: '#e6e8eb',
  muted: '#9aa1ab',
  grid: '#3a3f47',
  guest: '#4c8df6',
  guestText: '#ffffff',
  noVcpu: '#c9a227',
  idle: '#262a31',
  bad: '#ff6b6b',
  good: '#3fb950',
  selected: '#c297ff',
  badge: '#e6e8eb',
  badgeText: '#16181d',
  rowAlt: '#1b1e24',
  highlight: '#2e2446',
  warn: '#d29922',
  hatch: 'rgba(230, 232, 235, 0.4)',
}

/**
 * Colours of the timeline states the engines name (book3s: the thread states of runFlow.ts and the vcore
 * states of e0b7ec05), the same as in the layout where both show (a no-vcpu nap is the layout's
 * yellow, a guest the layout's blue); any other state takes the next colour of a fixed list by its
 * place in `timeline.states`, so the colours of a run never change between frames.
 */
const KNOWN_STATES: Record<string, readonly [light: string, dark: string]> = {
  // hardware threads (book3s)
  'mmu-in': ['#8250df', '#a371f7'],
  'wait-in-guest': ['#b6d4fe', '#2d4a73'],
  'load-state': ['#6ea8fe', '#3b6fc2'],
  guest: ['#2f6fde', '#4c8df6'],
  'cede-nap': ['#f8e3a1', '#7d6a2b'],
  'novcpu-nap': ['#f3c94f', '#c9a227'],
  'save-state': ['#e8883a', '#db7a2c'],
  'wait-exit': ['#f5c6a0', '#7a4a26'],
  'too-late': ['#d1242f', '#ff6b6b'],
  'mmu-out': ['#c297ff', '#6e40c9'],
  'host-exit': ['#9aa1ab', '#5c6370'],
  // vcores (book3s)
  starting: ['#c8e1ff', '#30476b'],
  running: ['#54aeff', '#2f81f7'],
  exiting: ['#fdbf87', '#9e5b22'],
  sleeping: ['#e6dfb8', '#5f5731'],
  'waiting-for-core': ['#d8dadd', '#3a3f47'],
  // runner yielded at the host tick: in kvm_resched (e0b7ec05) or as VCORE_PREEMPT (c56dadf3)
  preempted: ['#c9b3a3', '#6b5546'],
  // run along by another vcore's runner (VCORE_PIGGYBACK, ec257165)
  piggyback: ['#7ec8a4', '#2e7d57'],
  // CPUs (xen)
  online: ['#1a7f37', '#3fb950'],
  offline: ['#b4bac3', '#4a505a'],
  failed: ['#d1242f', '#ff6b6b'],
}
const OTHER_STATES = [
  '#17a2b8',
  '#2ca02c',
  '#e377c2',
  '#8c564b',
  '#bcbd22',
  '#1f77b4',
  '#ff7f0e',
  '#9467bd',
  '#7f7f7f',
  '#d62728',
]

export function stateColor(state: string, index: number, palette: Palette): string {
  const known = KNOWN_STATES[state]
  if (known) return palette.dark ? known[1] : known[0]
  return OTHER_STATES[index % OTHER_STATES.length] as string
}

/** States during which a hardware thread naps (shaded in the POWER layout). */
export const NAP_STATES: ReadonlySet<string> = new Set(['cede-nap', 'novcpu-nap'])

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) =>
    ch === '&'
      ? '&amp;'
      : ch === '<'
        ? '&lt;'
        : ch === '>'
          ? '&gt;'
          : ch === '"'
            ? '&quot;'
            : '&#39;',
  )
}

/**
 * A custom series with one item that draws `children` in the chart's own pixels: the way to draw
 * SVG paths (the graphic component has no `path` type), e.g. arrows, hatching, legend symbols.
 */
export function overlaySeries(name: string, children: readonly unknown[], z: number): ChartOption {
  return {
    type: 'custom',
    name,
    coordinateSystem: 'none',
    silent: true,
    z,
    data: children.length ? [0] : [],
    renderItem: () => ({ type: 'group', children }),
  }
}

/**
 * Breaks `s` into lines of at most `perLine` characters at spaces (a word longer than a line is
 * cut), then keeps `maxLines`, ending the last kept one with "…" when some were left out. Charts
 * wrap their own text with it so that the app (canvas) and exported images (server-side SVG, which
 * measures text differently) break at the same places and size their boxes to fit.
 */
export function wrapText(s: string, perLine: number, maxLines = Infinity): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of s.split(/\s+/).filter((w) => w.length > 0)) {
    let w = word
    if (line && line.length + 1 + w.length <= perLine) {
      line += ' ' + w
      continue
    }
    if (line) lines.push(line)
    while (w.length > perLine) {
      lines.push(w.slice(0, perLine))
      w = w.slice(perLine)
    }
    line = w
  }
  if (line) lines.push(line)
  if (lines.length <= maxLines) return lines
  const kept = lines.slice(0, maxLines)
  const last = kept[maxLines - 1] as string
  // room for the ellipsis: drop the last word of a full line, or cut a line that is one word
  const space = last.lastIndexOf(' ')
  const room = last.length < perLine ? last : space > 0 ? last.slice(0, space) : last.slice(0, -1)
  kept[maxLines - 1] = room + '…'
  return kept
}

/**
 * The title block every chart opens with: the scenario's name, then what ran, both on one line.
 * A subtitle too long for it ends at a word with "…" (about 6.8 px a character of 12 px text in
 * DejaVu Sans, the exported images' font), rather than being cut mid-word by the renderer.
 */
export function chartTitle(
  text: string,
  subtext: string,
  width: number,
  pad: number,
  p: Palette,
  /** A second line under the subtitle (what a figure left out), when there is one. */
  more?: string | null,
): ChartOption {
  const fit = { width: width - 2 * pad, overflow: 'truncate' }
  const perLine = Math.max(20, Math.floor((width - 2 * pad) / 6.8))
  const second = more ? `\n${wrapText(more, perLine, 1)[0] ?? ''}` : ''
  return {
    text,
    subtext: (wrapText(subtext, perLine, 1)[0] ?? '') + second,
    left: pad,
    top: pad - 4,
    textStyle: { color: p.text, fontSize: 15, fontWeight: 'bold', ...fit },
    subtextStyle: { color: p.muted, fontSize: 12, ...fit },
  }
}

/**
 * Places legend entries left to right from (x0, y0), wrapping before `right`; an entry is a swatch
 * and its text, `gap` pixels from the next.
 */
export function wrapLegend<T extends { text: string }>(
  entries: readonly T[],
  x0: number,
  y0: number,
  right: number,
  rowH: number,
  gap = 16,
): (T & { x: number; y: number })[] {
  const out: (T & { x: number; y: number })[] = []
  let x = x0
  let y = y0
  for (const e of entries) {
    const w = 20 + e.text.length * 6.5 + gap
    if (x + w > right && x > x0) {
      x = x0
      y += rowH
    }
    out.push({ ...e, x, y })
    x += w
  }
  return out
}

/**
 * The item tooltip of the layouts: on the page's body, so a long line (a hypercall with its
 * source) is not cut at the chart's edge, and wrapped at a readable width.
 */
export function itemTooltip(
  formatter: (params: { seriesName?: string; dataIndex: number }) => string,
): ChartOption {
  return {
    trigger: 'item',
    appendTo: 'body',
    extraCssText: 'max-width: 460px; white-space: normal;',
    formatter,
  }
}
