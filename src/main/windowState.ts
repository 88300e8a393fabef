/**
 * The window's size and position, remembered between runs. A saved state is used only when it is
 * sane and at least partly on a display that exists now (a monitor may have been unplugged).
 */
export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export interface WindowState {
  x?: number
  y?: number
  width: number
  height: number
  maximized: boolean
}

export const DEFAULT_STATE: WindowState = { width: 1440, height: 900, maximized: false }
export const MIN_SIZE = { width: 900, height: 600 }
const MIN_VISIBLE = 80

export function restoreState(saved: unknown, workAreas: readonly Rect[]): WindowState {
  if (saved === null || typeof saved !== 'object') return { ...DEFAULT_STATE }
  const s = saved as Record<string, unknown>
  const num = (v: unknown) =>
    typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : undefined
  const largest = workAreas.reduce<Rect | undefined>(
    (m, a) => (!m || a.width * a.height > m.width * m.height ? a : m),
    undefined,
  )
  const maxW = largest?.width ?? DEFAULT_STATE.width
  const maxH = largest?.height ?? DEFAULT_STATE.height
  const width = clamp(
    num(s.width) ?? DEFAULT_STATE.width,
    MIN_SIZE.width,
    Math.max(MIN_SIZE.width, maxW),
  )
  const height = clamp(
    num(s.height) ?? DEFAULT_STATE.height,
    MIN_SIZE.height,
    Math.max(MIN_SIZE.height, maxH),
  )
  const maximized = s.maximized === true
  const x = num(s.x)
  const y = num(s.y)
  if (x === undefined || y === undefined) return { width, height, maximized }
  const rect = { x, y, width, height }
  const visible = workAreas.some((a) => overlap(rect, a) >= MIN_VISIBLE * MIN_VISIBLE)
  return visible ? { x, y, width, height, maximized } : { width, height, maximized }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi)
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}
