/** One record per kind of event (`EVENT_KINDS`) and what the views read through them. */
export {
  EVENT_KINDS,
  eventFields,
  eventInfo,
  eventNumbers,
  eventStatus,
  eventTracks,
  kindSpec,
  type AnyEvent,
} from './eventInfo'
export {
  vcpuArg,
  type EventInfo,
  type EventKind,
  type EventKindSpec,
  type EventOf,
  type EventStatus,
  type EventTracks,
} from './kindSpec'
