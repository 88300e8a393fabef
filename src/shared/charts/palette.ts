/** Colours shared by every chart, in a light and a dark variant (the app follows the system). */

/** An ECharts option object; built by pure functions, passed to `setOption` as is. */
export type ChartOption = Record<string, unknown>

export interface Palette {
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
}

export const LIGHT: Palette = {
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
}

export const DARK: Palette = {
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
}

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
