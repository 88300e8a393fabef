/**
 * Where runs execute for the carriers. `workerRunner` keeps up to `size` engine workers (one per
 * spare core: a compare runs two designs at once) and queues runs beyond that; `inProcessRunner`
 * runs on the caller's thread, for tests and tools that have nothing else to keep responsive.
 *
 * Invariants:
 * 1. Every `run` promise settles exactly once, with data: a result, the engine's error, `cancelled`
 *    or `internal` (a worker that died); it never rejects.
 * 2. `cancel(runId)` stops every queued or running run with that id; a running one is asked through
 *    its shared flag and, if its worker has not answered within `hardCancelMs`, the worker is
 *    terminated and replaced.
 * 3. A worker that exits or errors takes only its own run down; the next run gets a fresh worker.
 * 4. Every way a run ends frees its slot: a job the worker cannot be sent ends at once.
 * 5. A worker's heap is capped (`heapMb`): a run that outgrows it ends that worker, with a message
 *    saying so, and the carrier (Electron main, the preview host) keeps its own memory.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads'
import { fail, ok, type Outcome, type RunProgress } from '../shared/contract'
import { packRun, type PackedRun } from '../shared/packed/packedRun'
import { RUN_WORKER_MARK, type FromWorker, type RunJob, type RunMessage } from './runProtocol'
import { runDocument } from './runDocument'

export interface RunRunner {
  run(job: RunJob, onProgress?: (p: RunProgress) => void): Promise<Outcome<PackedRun>>
  /** True when a queued or running run had that id. */
  cancel(runId: string): boolean
  close(): Promise<void>
}

/** Runs on the calling thread: a cancel can only catch a run that has not started. */
export function inProcessRunner(): RunRunner {
  return {
    async run(job, onProgress) {
      const out = runDocument(job.scenario, job.design, {
        onProgress: onProgress ? (p) => onProgress({ runId: job.runId, ...p }) : undefined,
      })
      return out.ok ? ok(packRun(out.value)) : out
    },
    cancel: () => false,
    close: async () => undefined,
  }
}

export type SpawnWorker = (options: WorkerOptions) => Worker

export interface WorkerRunnerOptions {
  spawn: SpawnWorker
  /** Most workers alive at once. */
  size?: number
  /** How long a cancelled run may take to notice its flag before its worker is terminated. */
  hardCancelMs?: number
  /** The old-generation heap of each worker, in MB (WORKER_HEAP_MB when absent). */
  heapMb?: number
  /**
   * Most events and spans each run may record (the engines' MAX_RECORDED when absent): a carrier
   * with memory to spare may raise it, and give its workers the heap to match.
   */
  maxRecorded?: number
}

/**
 * A worker's heap: room for a run at the engines' record bound (MAX_RECORDED events and spans;
 * xen-large's 1.02 million peak at about 165 MB in `npm run bench`) and its packed columns,
 * many times over, while a run the bound does not catch cannot take the carrier's memory.
 */
export const WORKER_HEAP_MB = 3072

interface Pending {
  id: number
  job: RunJob
  flag: Int32Array<SharedArrayBuffer>
  onProgress?: (p: RunProgress) => void
  settle(outcome: Outcome<PackedRun>): void
  slot?: Slot
  hardCancel?: ReturnType<typeof setTimeout>
}

interface Slot {
  worker: Worker
  current: Pending | null
}

export function workerRunner(opts: WorkerRunnerOptions): RunRunner {
  const pool = new WorkerPool(opts)
  return {
    run: (job, onProgress) => pool.run(job, onProgress),
    cancel: (runId) => pool.cancel(runId),
    close: () => pool.close(),
  }
}

/** The workers and the queue behind `workerRunner` (the invariants above are its). */
class WorkerPool {
  private readonly size: number
  private readonly hardCancelMs: number
  private readonly slots: Slot[] = []
  private readonly queue: Pending[] = []
  private nextId = 1
  private closed = false

  constructor(private readonly opts: WorkerRunnerOptions) {
    this.size = Math.max(1, opts.size ?? 2)
    this.hardCancelMs = opts.hardCancelMs ?? 1500
  }

  run(job: RunJob, onProgress?: (p: RunProgress) => void): Promise<Outcome<PackedRun>> {
    if (this.closed) return Promise.resolve(fail('internal', 'the engine runner is closed'))
    return new Promise((resolve) => {
      const p: Pending = {
        id: this.nextId++,
        job,
        flag: new Int32Array(new SharedArrayBuffer(4)),
        onProgress,
        settle: (outcome) => {
          clearTimeout(p.hardCancel)
          resolve(outcome)
        },
      }
      this.queue.push(p)
      this.pump()
    })
  }

  cancel(runId: string): boolean {
    let found = false
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const p = this.queue[i] as Pending
      if (p.job.runId !== runId) continue
      this.queue.splice(i, 1)
      p.settle(fail('cancelled', `run ${runId} was cancelled before it started`))
      found = true
    }
    for (const slot of this.slots) {
      const p = slot.current
      if (!p || p.job.runId !== runId) continue
      found = true
      Atomics.store(p.flag, 0, 1)
      p.hardCancel ??= setTimeout(() => {
        // The worker did not look at its flag in time: stop it the hard way.
        if (slot.current === p) void slot.worker.terminate()
      }, this.hardCancelMs)
    }
    return found
  }

  async close(): Promise<void> {
    this.closed = true
    for (const p of this.queue.splice(0)) p.settle(fail('cancelled', 'the lab is closing'))
    await Promise.all(this.slots.map((s) => s.worker.terminate()))
  }

  /** Starts queued runs on idle workers, spawning workers up to `size`. */
  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      const slot =
        this.slots.find((s) => s.current === null) ??
        (this.slots.length < this.size ? this.spawnSlot() : undefined)
      if (!slot) return
      const p = this.queue.shift() as Pending
      p.slot = slot
      slot.current = p
      slot.worker.ref()
      const msg: RunMessage = {
        type: 'run',
        id: p.id,
        ...p.job,
        cancelFlag: p.flag.buffer,
        ...(this.opts.maxRecorded !== undefined ? { maxRecorded: this.opts.maxRecorded } : {}),
      }
      try {
        slot.worker.postMessage(msg)
      } catch (err) {
        // The job could not be cloned to the worker (nested too deep, say): it fails, the slot
        // is free again and the loop goes on with the queue.
        slot.current = null
        slot.worker.unref()
        p.settle(unsendable(err))
      }
    }
  }

  private spawnSlot(): Slot {
    const worker = this.opts.spawn({
      workerData: { [RUN_WORKER_MARK]: true },
      resourceLimits: { maxOldGenerationSizeMb: this.opts.heapMb ?? WORKER_HEAP_MB },
    })
    const slot: Slot = { worker, current: null }
    // An idle worker does not keep the process alive; a busy one does.
    worker.unref()
    worker.on('message', (m: FromWorker) => {
      const p = slot.current
      if (!p || m.id !== p.id) return
      if (m.type === 'progress') {
        const { events, tick, until, recorded, recordLimit } = m
        p.onProgress?.({ runId: p.job.runId, events, tick, until, recorded, recordLimit })
      } else {
        this.finish(slot, m.outcome)
      }
    })
    worker.on('error', (err: Error & { code?: string }) =>
      err.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? this.lost(
            slot,
            `the run needed more than the ${this.opts.heapMb ?? WORKER_HEAP_MB} MB of heap an engine ` +
              'worker has and was stopped; make the scenario smaller (fewer vcpus, steps or ticks)',
            'too-large',
          )
        : this.lost(slot, `the engine worker stopped: ${err.message}`),
    )
    worker.on('exit', (code) => this.lost(slot, `the engine worker stopped: exit code ${code}`))
    this.slots.push(slot)
    return slot
  }

  private finish(slot: Slot, outcome: Outcome<PackedRun>): void {
    const p = slot.current
    slot.current = null
    slot.worker.unref()
    if (p) p.settle(outcome)
    this.pump()
  }

  /** A worker that errored or exited: its run ends (cancelled if it was asked to), others go on. */
  private lost(slot: Slot, why: string, code: 'internal' | 'too-large' = 'internal'): void {
    const i = this.slots.indexOf(slot)
    if (i >= 0) this.slots.splice(i, 1)
    const p = slot.current
    slot.current = null
    if (p) {
      p.settle(
        Atomics.load(p.flag, 0) === 1
          ? fail('cancelled', `run ${p.job.runId} was stopped`)
          : fail(code, why),
      )
    }
    this.pump()
  }
}

/** A job postMessage refused: the request's own fault, said as such. */
function unsendable(err: unknown): Outcome<PackedRun> {
  const why = err instanceof Error ? err.message : String(err)
  return fail(
    'invalid-request',
    `the scenario could not be handed to the engine worker (${why}); a scenario is a few levels of plain JSON`,
  )
}

/**
 * Spawns the worker from its TypeScript source (browser-preview host, tests): Node 20 does not
 * apply tsx's loader inside workers, so a small ESM file registers it and imports the entry.
 */
export function sourceWorkerSpawner(
  entry: string = new URL('./runWorker.ts', import.meta.url).href,
): SpawnWorker {
  const boot = new URL('./tsWorkerBoot.mjs', import.meta.url)
  return (options) =>
    new Worker(boot, {
      ...options,
      workerData: { ...(options.workerData as object), entry },
    })
}

/** Spawns the bundled worker file (Electron main: the path electron-vite's `?modulePath` gives). */
export function bundledWorkerSpawner(path: string): SpawnWorker {
  return (options) => new Worker(path, options)
}
