/**
 * The shape of what the lab says about one kind of instant event (docs/result.md): the record
 * each kind of `LabEvent` has in `EVENT_KINDS`. `KindTable` maps every kind of a union to its
 * record, so a kind added to the union without one is a compile error.
 */
import type { LabEvent } from '../result'

/** Went as meant, went wrong, or neither. */
export type EventStatus = 'ok' | 'bad' | 'neutral'

export type EventKind = LabEvent['kind']

/** The event type of one kind, e.g. `EventOf<'hypercall'>` is `HypercallEvent`. */
export type EventOf<K extends EventKind> = Extract<LabEvent, { kind: K }>

export interface EventKindSpec<E extends LabEvent> {
  /** Cheap (no text): the events table filters hundreds of thousands of events by it. */
  status: (e: E) => EventStatus
  /** What happened, in a few words: `EVTCHNOP_init_control(vcpu 4294967295)`. */
  title: (e: E) => string
  /** How it ended: `-ENOENT`, `misdelivered to vcpu 9`, `delivered`. */
  result: (e: E) => string
  /** Every CPU, vcpu or thread number it names, for the table's CPU/vcpu filter. */
  numbers: (e: E) => number[]
  /**
   * What its tracks stand for: `on`, the track it happened on (the engines set `track` on every
   * event); `to`, what its arrows (`toTracks`) point at, or null for a kind that draws none.
   */
  tracks: { on: string; to: string | null }
}

/** What the views say about one event (`eventInfo`). */
export interface EventInfo {
  status: EventStatus
  title: string
  result: string
  numbers: number[]
}

/** Where an event is drawn: its own track and the tracks its arrows go to (track ids). */
export interface EventTracks {
  track: string | undefined
  toTracks: readonly string[]
}

/** One record per kind of the union `U`: leaving a kind out, or adding one it lacks, does not compile. */
export type KindTable<U extends LabEvent> = {
  readonly [K in U['kind']]: EventKindSpec<Extract<U, { kind: K }>>
}

/** The numbers among `xs`, in order (a field that is null names no CPU). */
export function numbersOf(...xs: (number | null)[]): number[] {
  return xs.filter((n): n is number => n !== null)
}

/** The vCPU argument as Xen reads it: an unsigned 32-bit number, so -1 shows as 4294967295. */
export function vcpuArg(v: number | null): string {
  if (v === null) return '—'
  return v === 0xffffffff ? '4294967295 (-1)' : String(v)
}
