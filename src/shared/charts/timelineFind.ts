/**
 * Find in the timeline (Ctrl+F or `/`): tracks and events by name, vcpu, cpu, thread, vcore,
 * errno or kind. A query is one of
 *
 * - `vcpu 13` (or `vcpu:13`, `v13`): the tracks vcpu 13 ran on and the events that name it (as
 *   the vcpu, sender, receiver, the one meant, the one a hypercall ran on);
 * - `cpu 5` (`cpu:5`): that hardware thread's or Linux CPU's track and the events on or for it;
 *   `thread 2`, `vcore 3`, `core 4` likewise;
 * - `errno EINVAL` (or just `EINVAL`, `-22`): the hypercalls that failed so;
 * - `kind doorbell` (or just `doorbell`): events of that kind;
 * - a number: the tracks and events that name it in any role;
 * - any other text: the tracks whose name holds it, and the events whose kind, op or outcome do.
 *
 * Pure, and it costs one pass over the events per query.
 */
import { eventNumbers, eventTracks, type AnyEvent } from '../events'
import type { RunResult } from '../result'
import { rowsOfVcpu } from './layoutLinks'
import type { PreparedTimeline } from './timelineModel'

export interface FoundTrack {
  kind: 'track'
  track: number
  label: string
}

export interface FoundEvent {
  kind: 'event'
  /** Index into `RunResult.events`. */
  index: number
  at: number
  /** The track it is drawn on (or -1: none). */
  track: number
  label: string
}

export interface FindResults {
  /** What the query was read as: `vcpu 13`, `kind doorbell`, `text "nap"`. */
  understood: string
  tracks: FoundTrack[]
  events: FoundEvent[]
  /** Every event that matches (only the first `limit` are listed). */
  eventTotal: number
}

type Role = 'vcpu' | 'cpu' | 'thread' | 'vcore' | 'core'

/** The fields of an event that name each role (arrays: any member). */
const ROLE_FIELDS: Record<Exclude<Role, 'core'>, readonly string[]> = {
  vcpu: ['vcpu', 'from', 'intended', 'deliveredTo', 'onVcpu', 'vcpus', 'targets'],
  cpu: ['cpu', 'forCpu', 'pcpu', 'hostCpu', 'runner', 'cpus'],
  thread: ['thread', 'threads'],
  vcore: ['vcore'],
}

type Query =
  | { kind: 'role'; role: Role; n: number }
  | { kind: 'errno'; errno: string }
  | { kind: 'rc'; rc: number }
  | { kind: 'kind'; kindName: string }
  | { kind: 'number'; n: number }
  | { kind: 'text'; text: string }

/** Reads a query; `kinds` and `errnos` are those the run's events have (lower-case errnos). */
export function parseFind(
  query: string,
  kinds: ReadonlySet<string>,
  errnos: ReadonlySet<string> = new Set(),
): Query | null {
  const q = query.trim().toLowerCase()
  if (!q) return null
  const role = /^(vcpu|v|cpu|thread|t|vcore|core)\s*[: ]?\s*(\d+)$/.exec(q)
  if (role) {
    const r = role[1] === 'v' ? 'vcpu' : role[1] === 't' ? 'thread' : (role[1] as Role)
    return { kind: 'role', role: r, n: Number(role[2]) }
  }
  const errno = /^(?:errno\s*[: ]?\s*)(e[a-z0-9]+)$/.exec(q)
  if (errno || (errnos.has(q) && !kinds.has(q))) {
    return { kind: 'errno', errno: (errno ? errno[1]! : q).toUpperCase() }
  }
  if (/^-\d+$/.test(q)) return { kind: 'rc', rc: Number(q) }
  const kind = /^(?:kind\s*[: ]?\s*)?([a-z][a-z0-9-]*)$/.exec(q)
  if (kind && (q.startsWith('kind') || kinds.has(kind[1]!))) {
    return { kind: 'kind', kindName: kind[1]! }
  }
  if (/^\d+$/.test(q)) return { kind: 'number', n: Number(q) }
  return { kind: 'text', text: q }
}

function describe(q: Query): string {
  switch (q.kind) {
    case 'role':
      return `${q.role} ${q.n}`
    case 'errno':
      return `errno ${q.errno}`
    case 'rc':
      return `return code ${q.rc}`
    case 'kind':
      return `kind ${q.kindName}`
    case 'number':
      return `the number ${q.n}`
    case 'text':
      return `text “${q.text}”`
  }
}

const names = (e: AnyEvent, fields: readonly string[], n: number): boolean => {
  const row = e as Record<string, unknown>
  for (const f of fields) {
    const v = row[f]
    if (v === n) return true
    if (Array.isArray(v) && v.includes(n)) return true
  }
  return false
}

function eventMatches(q: Query): (e: AnyEvent) => boolean {
  switch (q.kind) {
    case 'role':
      return q.role === 'core'
        ? (e) => (e as { core?: unknown }).core === q.n
        : (e) => names(e, ROLE_FIELDS[q.role as Exclude<Role, 'core'>], q.n)
    case 'errno':
      return (e) => String((e as { errno?: unknown }).errno ?? '').toUpperCase() === q.errno
    case 'rc':
      return (e) => (e as { rc?: unknown }).rc === q.rc
    case 'kind':
      return (e) => e.kind === q.kindName
    case 'number':
      return (e) => eventNumbers(e).includes(q.n)
    case 'text':
      return (e) => {
        const r = e as Record<string, unknown>
        return (
          e.kind.includes(q.text) ||
          (typeof r.op === 'string' && r.op.toLowerCase().includes(q.text)) ||
          (typeof r.outcome === 'string' && r.outcome === q.text)
        )
      }
  }
}

function trackMatches(p: PreparedTimeline, result: RunResult, q: Query): number[] {
  const byId = (id: string) => {
    const r = p.rowOf.get(id)
    return r === undefined ? [] : [r]
  }
  const labelled = (test: (label: string, id: string) => boolean) =>
    p.tracks.flatMap((t, i) => (test(t.label.toLowerCase(), t.id) ? [i] : []))
  switch (q.kind) {
    case 'role':
      if (q.role === 'vcpu') return rowsOfVcpu(p, result, q.n)
      if (q.role === 'cpu') {
        const own = byId(`cpu${q.n}`)
        if (own.length || result.layout.kind !== 'xen') return own
        const c = result.layout.cpus.find((x) => x.cpu === q.n)
        const v = c ? (c.vcpu ?? c.startsOn) : null
        return v === null || v === undefined ? [] : byId(`vcpu${v}`)
      }
      if (q.role === 'vcore') return byId(`vcore${q.n}`)
      if (q.role === 'core') return labelled((l) => l.includes(`(core ${q.n} `))
      return labelled((l) => l.endsWith(` thread ${q.n})`))
    case 'number':
      return labelled((l) => new RegExp(`\\b${q.n}\\b`).test(l))
    case 'text':
      return labelled((l, id) => l.includes(q.text) || id.toLowerCase() === q.text)
    case 'kind':
    case 'errno':
    case 'rc':
      return []
  }
}

/** What `query` finds: the tracks first (up to `limit`), then the first `limit` events by time. */
export function findInTimeline(
  p: PreparedTimeline,
  result: RunResult,
  query: string,
  limit = 50,
): FindResults | null {
  const kinds = new Set<string>()
  const errnos = new Set<string>()
  for (const e of result.events as readonly AnyEvent[]) {
    kinds.add(e.kind)
    const errno = (e as { errno?: unknown }).errno
    if (typeof errno === 'string') errnos.add(errno.toLowerCase())
  }
  const q = parseFind(query, kinds, errnos)
  if (!q) return null
  const tracks = trackMatches(p, result, q)
    .slice(0, limit)
    .map((track) => ({ kind: 'track' as const, track, label: p.tracks[track]!.label }))
  const test = eventMatches(q)
  const events: FoundEvent[] = []
  let eventTotal = 0
  const all = result.events as readonly AnyEvent[]
  for (let i = 0; i < all.length; i++) {
    const e = all[i]!
    if (!test(e)) continue
    eventTotal++
    if (events.length < limit)
      events.push({ kind: 'event', index: i, at: e.at, track: -1, label: '' })
  }
  events.sort((a, b) => a.at - b.at || a.index - b.index)
  for (const e of events) {
    const { track } = eventTracks(all[e.index]!)
    e.track = track === undefined ? -1 : (p.rowOf.get(track) ?? -1)
    const where = e.track >= 0 ? ` on ${p.tracks[e.track]!.label}` : ''
    e.label = `${all[e.index]!.kind} at tick ${e.at.toLocaleString('en-US')}${where}`
  }
  return { understood: describe(q), tracks, events, eventTotal }
}
