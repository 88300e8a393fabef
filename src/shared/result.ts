/**
 * The run result: one shape for both engines (FORMATS.md "Run result"), so the renderer draws every
 * run with the same few views and the CLI prints it as JSON. Names fixed by FORMATS.md are marked;
 * the rest are ours and documented in the README's result reference.
 */
import type { Book3sScenario, Processor } from './scenario/book3sScenario'
import type { XenScenario } from './scenario/xenScenario'

export const RESULT_SCHEMA_VERSION = 1

/**
 * How sure the lab is of a behaviour it shows:
 * - `source`: read in the cited kernel or Xen source;
 * - `derived`: the research's reading of the code, never observed on a running system;
 * - `model`: a choice of this model where the sources are silent.
 */
export type Confidence = 'source' | 'derived' | 'model'

/** An invariant or outcome a kernel engineer would assert (fixed: id, ok, message, source). */
export interface Check {
  id: string
  ok: boolean
  message: string
  /** The commit and function the check follows. */
  source: string
  confidence: Confidence
  /** Indices into `events` of the events that broke it (or, when ok, that it rests on). */
  refs: number[]
}

export interface Metric {
  value: number
  unit: string
  label: string
}

export interface Span {
  start: number
  end: number
  state: string
  label?: string
  /** What the span belongs to, e.g. `vcpu:13` or `vcore:1`, for linked selection. */
  ref?: string
}

export interface Track {
  id: string
  label: string
  /** The box the track belongs to, e.g. `core 1` or `vCPU 3`, to group tracks. */
  group: string
  spans: Span[]
}

export interface StateInfo {
  state: string
  label: string
  description: string
}

export interface Timeline {
  /** What one tick stands for, e.g. "1 tick = 10 ns (a model unit)". */
  tickUnit: string
  /** Nanoseconds per tick, for exports that need real time units (traces); absent: a tick is a step. */
  tickNs?: number
  end: number
  /** Every state a span may have, with a one-line description for legends. */
  states: StateInfo[]
  tracks: Track[]
}

// ---------------------------------------------------------------------------------------------
// book3s

export type ThreadRole = 'guest' | 'no-vcpu-nap' | 'idle'

/** FIXED `details.vcpus[]` (FORMATS.md). */
export interface VcpuDetail {
  id: number
  created: boolean
  /** errno name when KVM refused the vcpu (`"EINVAL"`), else null. */
  error: string | null
  vcore: number | null
  firstVcpuId: number | null
  /** The virtual thread the design fixes; null under `first-come` (assigned per dispatch). */
  ptid: number | null
  /** Why KVM refused it, naming the check and the function; null when created. */
  reason: string | null
}

/** FIXED `details.dispatches[]`: one per vcore entry into the guest (FORMATS.md). */
export interface Dispatch {
  at: number
  vcore: number
  /** Host CPU number of thread 0 of the (sub)core. */
  pcpu: number
  threads: { thread: number; vcpu: number | null; role: ThreadRole }[]
  /** When thread 0 finished in the host (vcore INACTIVE again), or null if still running at the end. */
  end: number | null
  core: number
  subcore: number
}

export interface PowerThread {
  /** Index within the physical core. */
  thread: number
  /** Index within the (sub)core: the physical thread number a vcore's virtual thread N lands on. */
  subcoreThread: number
  /** Host CPU number. */
  cpu: number
  vcpu: number | null
  role: ThreadRole
  /** Thread 0 of a (sub)core running a vcore switches the MMU (e0b7ec05). */
  switchesMmu: boolean
  /** Where the thread was when the run ended (a timeline state, or `host`). */
  phase?: string
}

export interface PowerSubcore {
  subcore: number
  vcore: number | null
  threads: PowerThread[]
}

export interface PowerCore {
  core: number
  subcores: PowerSubcore[]
}

export interface PowerVcore {
  vcore: number
  firstVcpuId: number | null
  vcpus: number[]
  /** Where the vcore runs in this layout, or null when no (sub)core was free for it. */
  placedOn: { core: number; subcore: number; pcpu: number } | null
}

export interface PowerLayout {
  kind: 'power'
  processor: Processor
  threadsPerCore: number
  subcoresPerCore: number
  threadsPerSubcore: number
  cores: PowerCore[]
  vcores: PowerVcore[]
  /** How vcores were placed on (sub)cores, and on what authority. */
  placement: { rule: string; confidence: Confidence }
}

export type DoorbellOutcome = 'delivered' | 'misdelivered' | 'lost' | 'ignored'

/**
 * Where an instant event sits on the timeline and where it points: `track` is the id of the track
 * it happened on, `toTracks` the tracks an arrow goes to (a doorbell's target thread, the threads
 * an exit pokes). Both are optional: an event without them is listed, not drawn as an arrow.
 */
export interface Placed {
  track?: string
  toTracks?: string[]
  /** The function or commit the behaviour follows. */
  source: string
  confidence: Confidence
  /** What the model assumed or left out here, when that matters to a reader. */
  note?: string
}

/** FIXED `events` of kind `doorbell` (FORMATS.md): one per msgsndp the guest issued. */
export interface DoorbellEvent extends Placed {
  kind: 'doorbell'
  at: number
  from: number
  tag: number
  intended: number | null
  deliveredTo: number | null
  /** The physical thread (index within the (sub)core) it reached; null if ignored or emulated. */
  thread: number | null
  outcome: DoorbellOutcome
  /** Host CPU of that thread. */
  cpu: number | null
}

/** FIXED `events` of kind `latecomer` (FORMATS.md): a vcpu started into an already running vcore. */
export interface LatecomerEvent extends Placed {
  kind: 'latecomer'
  at: number
  vcore: number
  vcpu: number
  thread: number
}

/** msgclrp: the vcpu clears its own pending doorbell (its thread's DPDES bit; emulated on POWER9). */
export interface MsgclrpEvent extends Placed {
  kind: 'msgclrp'
  at: number
  vcpu: number
  /** Whether a doorbell was pending and is now cleared. */
  cleared: boolean
  /** The instruction was ignored (POWER7 has none; POWER9 emulation ignores a type other than SERVER). */
  ignored: boolean
}

/** The guest read its thread number (mfspr TIR). */
export interface TirReadEvent extends Placed {
  kind: 'tir-read'
  at: number
  vcpu: number
  /** What the guest read; null where the model does not say (POWER7). */
  value: number | null
  /** What the guest believes: id mod threads per virtual core. */
  expected: number
  ok: boolean
}

/** H_CEDE in real mode (kvmppc_h_cede): nap, or the last thread to cede takes the vcore out. */
export interface CedeEvent extends Placed {
  kind: 'cede'
  at: number
  vcpu: number
  vcore: number
  thread: number
  outcome: 'nap' | 'exit-to-host' | 'cancelled-by-prod'
  /** `napping_threads` after the cede, and the entry count it was compared with. */
  nappingThreads: number
  entryCount: number
}

/** The first thread to exit pokes HDEC and IPIs the napping threads (hdec_soon). */
export interface ExitSyncEvent extends Placed {
  kind: 'exit-sync'
  at: number
  vcore: number
  thread: number
  trap: string
  /** Threads in the guest that take the HDEC interrupt. */
  hdec: number[]
  /** Napping threads IPIed. */
  ipi: number[]
}

/** A secondary reached kvmppc_hv_entry after the first exit: it does not enter (secondary_too_late). */
export interface TooLateEvent extends Placed {
  kind: 'secondary-too-late'
  at: number
  vcore: number
  thread: number
  vcpu: number | null
}

/** A scripted step that could not happen when it was due, and why. */
export interface StepSkippedEvent extends Placed {
  kind: 'step-skipped'
  at: number
  vcpu: number
  do: string
  reason: string
}

export type Book3sEvent =
  | DoorbellEvent
  | LatecomerEvent
  | TirReadEvent
  | MsgclrpEvent
  | CedeEvent
  | ExitSyncEvent
  | TooLateEvent
  | StepSkippedEvent

export interface Book3sDetails {
  vcpus: VcpuDetail[]
  dispatches: Dispatch[]
}

// ---------------------------------------------------------------------------------------------
// xen

export type CpuState = 'online' | 'offline' | 'failed'

/** FIXED `details.cpus[]` (FORMATS.md). */
export interface CpuDetail {
  cpu: number
  vcpu: number | null
  acpiId: number | null
  apicId: number | null
  state: CpuState
  reason: string | null
}

export interface XenLayout {
  kind: 'xen'
  cpus: CpuDetail[]
  vcpus: { vcpu: number; online: boolean; acpiId: number; apicId: number }[]
}

export interface XenDetails {
  cpus: CpuDetail[]
}

/** FIXED `events` of kind `hypercall` (FORMATS.md). */
export interface HypercallEvent {
  kind: 'hypercall'
  at: number
  op: string
  cpu: number
  onVcpu: number
  side: 'boot' | 'starting' | 'self'
  /** The vCPU argument as Xen reads it (unsigned 32-bit), or null when the call names none. */
  vcpu: number | null
  rc: number
  errno: string | null
  source: string
}

// ---------------------------------------------------------------------------------------------

export type LabEvent = Book3sEvent | HypercallEvent

export interface RunStats {
  /** Simulation events processed. */
  events: number
  /** The tick the run ended at. */
  end: number
  stoppedBy: 'until' | 'drained'
}

interface RunResultOf<E extends string, S, L, D> {
  schemaVersion: 1
  engine: E
  design: string
  seed: number
  engineVersion: string
  scenario: S
  layout: L
  timeline: Timeline
  events: LabEvent[]
  metrics: Record<string, Metric>
  checks: Check[]
  details: D
  run: RunStats
}

export type Book3sRunResult = RunResultOf<'book3s', Book3sScenario, PowerLayout, Book3sDetails>
export type XenRunResult = RunResultOf<'xen', XenScenario, XenLayout, XenDetails>
export type RunResult = Book3sRunResult | XenRunResult
