/**
 * A kind the lab does not know (a result from a newer engine): shown with its own fields, its
 * outcome or return code as the result, every field that looks like a CPU number for the filter,
 * and drawn where it says it happened (`track`, and `toTrack` or `toTracks` for arrows).
 */
import type { EventInfo, EventStatus, EventTracks } from './kindSpec'

type Fields = { kind: string } & Record<string, unknown>

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null)
const ids = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []

/** `ok: false` or a negative `rc` went wrong; `ok: true` or `rc` ≥ 0 went as meant. */
export function unknownStatus(e: object): EventStatus {
  const f = e as Fields
  const rc = num(f.rc)
  if (f.ok === false || (rc !== null && rc < 0)) return 'bad'
  return f.ok === true || (rc !== null && rc >= 0) ? 'ok' : 'neutral'
}

/** The fields the known kinds name CPUs, vcpus and threads by, in this order. */
export function unknownNumbers(e: object): number[] {
  const f = e as Fields
  // Read by dot access: the build's import scanner mistakes a quoted field named like the
  // keyword for an import.
  const numbers = [
    f.cpu,
    f.vcpu,
    f.onVcpu,
    f.forCpu,
    f.from,
    f.to,
    f.intended,
    f.deliveredTo,
    f.deliveredToCpu,
    f.boundVcpu,
    f.thread,
    f.crashedVcpu,
  ]
    .map(num)
    .filter((n): n is number => n !== null)
  if (Array.isArray(f.targets))
    numbers.push(...f.targets.filter((t): t is number => typeof t === 'number'))
  return numbers
}

/** Fields every event may carry that say where and on what authority, not what happened. */
const HIDDEN_FIELDS = new Set([
  'kind',
  'at',
  'source',
  'ok',
  'outcome',
  'track',
  'toTrack',
  'toTracks',
  'confidence',
  'note',
])

/** Its own fields as text, and its outcome or return code as the result. */
export function unknownInfo(e: object): EventInfo {
  const f = e as Fields
  const rc = num(f.rc)
  const outcome = f.outcome
  const rest = Object.entries(f)
    .filter(([k, v]) => v !== undefined && !HIDDEN_FIELDS.has(k))
    .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ')
  return {
    status: unknownStatus(e),
    title: `${f.kind}${rest ? `: ${rest}` : ''}`,
    result: typeof outcome === 'string' ? outcome : rc !== null ? String(rc) : '',
    numbers: unknownNumbers(e),
  }
}

export function unknownTracks(e: object): EventTracks {
  const f = e as Fields
  return {
    track: typeof f.track === 'string' ? f.track : undefined,
    toTracks: [...ids([f.toTrack]), ...ids(f.toTracks)],
  }
}
