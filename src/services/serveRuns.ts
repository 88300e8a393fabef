/**
 * The worker side of a run: answers `run` messages on a port with progress and one `done`, polling
 * the run's shared cancel flag through the engine's hooks. Kept apart from the worker entry
 * (runWorker.ts) so a test worker can serve a scripted engine with the same code.
 */
import type { MessagePort } from 'node:worker_threads'
import { fail, ok, type Outcome } from '../shared/contract'
import { packRun, transferList, type PackedRun } from '../shared/packed/packedRun'
import type { RunResult } from '../shared/result'
import {
  CANCEL_POLL_EVENTS,
  PROGRESS_INTERVAL_MS,
  type FromWorker,
  type RunMessage,
} from './runProtocol'
import { runDocument, type RunControl } from './runDocument'

export type RunFn = (
  scenario: unknown,
  design: string | undefined,
  control: RunControl,
) => Outcome<RunResult>

/**
 * Answers `run` messages on `port` with `run` (the real engines unless a test says otherwise). The
 * result goes back packed, its columns' buffers in the transfer list: moved to the parent, not
 * copied, and no object per event or span for postMessage to clone.
 */
export function serveRuns(
  port: Pick<MessagePort, 'on' | 'postMessage'>,
  run: RunFn = runDocument,
  now: () => number = () => performance.now(),
): void {
  port.on('message', (msg: RunMessage) => {
    if (msg?.type !== 'run') return
    const flag = new Int32Array(msg.cancelFlag)
    const cancelled = () => Atomics.load(flag, 0) === 1
    let last = -Infinity
    const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer)
    let outcome: Outcome<RunResult>
    if (cancelled()) {
      outcome = fail('cancelled', 'the run was cancelled before it started')
    } else {
      outcome = run(msg.scenario, msg.design, {
        every: CANCEL_POLL_EVENTS,
        maxRecorded: msg.maxRecorded,
        shouldCancel: cancelled,
        onProgress: (p) => {
          const t = now()
          if (t - last < PROGRESS_INTERVAL_MS) return
          last = t
          send({ type: 'progress', id: msg.id, ...p })
        },
      })
      // The engine reports a cancel as a failed run; say what it was.
      if (!outcome.ok && cancelled()) {
        outcome = fail('cancelled', outcome.error.message)
      }
    }
    const packed = packedOutcome(outcome)
    send({ type: 'done', id: msg.id, outcome: packed }, packed.ok ? transferList(packed.value) : [])
  })
}

/** The outcome with its result packed; a result that cannot be packed is an internal error. */
function packedOutcome(outcome: Outcome<RunResult>): Outcome<PackedRun> {
  if (!outcome.ok) return outcome
  try {
    return ok(packRun(outcome.value))
  } catch (err) {
    return fail('internal', `the run's result could not be packed: ${(err as Error).message}`)
  }
}
