/**
 * What the views say about an instant event of `RunResult.events`: a status, a one-line summary,
 * the numbers a filter can match, and the tracks it is drawn on. Every kind of `LabEvent` has its
 * record in `EVENT_KINDS`; a kind the lab does not know (a newer result) still shows with its own
 * fields (unknownKind.ts), so it appears in the table and, when it names a track, on the timeline.
 */
import type { LabEvent } from '../result'
import { BOOK3S_KINDS } from './book3sKinds'
import type { EventInfo, EventKindSpec, EventStatus, EventTracks, KindTable } from './kindSpec'
import { unknownInfo, unknownNumbers, unknownStatus, unknownTracks } from './unknownKind'
import { XEN_KINDS } from './xenKinds'

export const EVENT_KINDS: KindTable<LabEvent> = { ...BOOK3S_KINDS, ...XEN_KINDS }

/** An event as the views read it: a kind of `EVENT_KINDS`, or any other kind with any fields. */
export type AnyEvent = LabEvent | ({ kind: string; at: number } & Record<string, unknown>)

const NO_TRACKS: readonly string[] = []

/** The record of a known kind; undefined for any other (`kind in` would find `toString`). */
export function kindSpec(kind: string): EventKindSpec<LabEvent> | undefined {
  // One cast: a spec of one kind takes events of that kind, which `e.kind` guarantees.
  return Object.hasOwn(EVENT_KINDS, kind)
    ? (EVENT_KINDS[kind as LabEvent['kind']] as EventKindSpec<LabEvent>)
    : undefined
}

/**
 * Whether an event went as meant, went wrong, or neither: cheap (no text), so a table can filter
 * hundreds of thousands of events by it.
 */
export function eventStatus(e: AnyEvent): EventStatus {
  const spec = kindSpec(e.kind)
  return spec ? spec.status(e as LabEvent) : unknownStatus(e)
}

/** Every CPU, vcpu or thread number an event names. */
export function eventNumbers(e: AnyEvent): number[] {
  const spec = kindSpec(e.kind)
  return spec ? spec.numbers(e as LabEvent) : unknownNumbers(e)
}

export function eventInfo(e: AnyEvent): EventInfo {
  const spec = kindSpec(e.kind)
  if (!spec) return unknownInfo(e)
  const event = e as LabEvent
  return {
    title: spec.title(event),
    result: spec.result(event),
    status: spec.status(event),
    numbers: spec.numbers(event),
  }
}

/** The tracks an event names: the engines set `track` (and `toTracks`) on every event. */
export function eventTracks(e: AnyEvent): EventTracks {
  if (!kindSpec(e.kind)) return unknownTracks(e)
  const { track, toTracks } = e as LabEvent
  return { track, toTracks: toTracks ?? NO_TRACKS }
}

/** Every field of an event, for the details panel. */
export function eventFields(e: AnyEvent): [string, string][] {
  return Object.entries(e)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, v === null ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v)])
}
