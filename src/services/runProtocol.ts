/**
 * What the parent and an engine worker say to each other. A run is one `run` message in and any
 * number of `progress` messages then one `done` out. Cancellation does not go through the message
 * queue (the worker is busy in a synchronous loop and would never read it): each run carries a
 * SharedArrayBuffer flag the parent sets and the engine's `shouldCancel` hook polls.
 */
import type { Outcome } from '../shared/contract'
import type { PackedRun } from '../shared/packed/packedRun'

export interface RunJob {
  scenario: unknown
  design?: string
  runId: string
}

export interface RunMessage extends RunJob {
  type: 'run'
  /** The parent's number for this run (unique per worker). */
  id: number
  /** An Int32Array(1) view of it is 1 once the run should stop. */
  cancelFlag: SharedArrayBuffer
  /** Most events and spans the run may record (the engines' MAX_RECORDED when absent). */
  maxRecorded?: number
}

export interface ProgressMessage {
  type: 'progress'
  id: number
  events: number
  tick: number
  until: number
  recorded: number
  recordLimit: number
}

/** A run's end: its result packed, the columns' buffers moved to the parent (a transfer list). */
export interface DoneMessage {
  type: 'done'
  id: number
  outcome: Outcome<PackedRun>
}

export type FromWorker = ProgressMessage | DoneMessage

/** Simulation events between two looks at the cancel flag: small enough that a cancel is seen
 * within a few milliseconds, large enough that polling costs nothing measurable. */
export const CANCEL_POLL_EVENTS = 2048

/** Least time between two progress messages of one run. */
export const PROGRESS_INTERVAL_MS = 50

/** Set in `workerData` by the spawner, so that importing the worker module anywhere else (a test,
 * a bundle) does not start serving on someone else's port. */
export const RUN_WORKER_MARK = 'vcpuLabRunWorker'
