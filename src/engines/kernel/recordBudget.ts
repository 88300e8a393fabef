/**
 * The bound on what one run may record, so that a valid scenario cannot take the lab's memory:
 * every event and every timeline span a run keeps counts against `MAX_RECORDED`.
 *
 * It is checked twice, with the same number:
 * 1. Before the run, on the work the workload asks for (`requested`, from each engine: the IPIs
 *    and steps a Xen workload names, the scripted steps and the expected random steps of a
 *    Book3s one). A workload asking for more than a run may record is refused at once.
 * 2. During the run, on what is recorded (`RecordBudget.take`): the first event or span past the
 *    bound ends the run with a RecordLimitError naming the tick and what to reduce.
 *
 * The number is the lab's choice, not the kernel's: 2,000,000 is above the largest benchmark
 * (book3s-large records about 1.44 million events and spans, xen-large about 1.02 million) and
 * keeps a run's result within a few hundred megabytes of heap.
 */
export const MAX_RECORDED = 2_000_000

export class RecordLimitError extends Error {
  constructor(
    readonly when: 'before' | 'during',
    readonly count: number,
    readonly limit: number,
    message: string,
  ) {
    super(message)
    this.name = 'RecordLimitError'
  }
}

/** What a workload asks for, said in the engine's words, and the fields that would make it less. */
export interface RequestedWork {
  count: number
  /** e.g. "4,096,000 IPIs (1000 call-function steps to their targets, plus send-ipi steps)" */
  what: string
  reduce: string
}

const n = (x: number): string => Math.round(x).toLocaleString('en-US')

/** Check 1: throws when the workload asks for more than a run may record. */
export function checkRequested(work: RequestedWork, limit: number = MAX_RECORDED): void {
  if (work.count <= limit) return
  throw new RecordLimitError(
    'before',
    work.count,
    limit,
    `the workload asks for ${work.what}, more than the ${n(limit)} events and spans a run may record; ` +
      `reduce ${work.reduce}`,
  )
}

/** Check 2: counts what a run records and stops it at the bound. */
export class RecordBudget {
  used = 0
  constructor(
    readonly limit: number,
    /** The fields to reduce, named in the error. */
    private readonly reduce: string,
  ) {}

  /** One more event or span, recorded at tick `at`. */
  take(at: number): void {
    if (++this.used > this.limit) this.exceeded(at)
  }

  private exceeded(at: number): never {
    throw new RecordLimitError(
      'during',
      this.used,
      this.limit,
      `run stopped at tick ${n(at)}: it had recorded ${n(this.limit)} events and spans, as many as a run may ` +
        `record; reduce ${this.reduce}`,
    )
  }
}

/** `hooks` whose progress reports also say how much `budget` has recorded. */
export function countRecorded<
  H extends { onProgress?: (e: number, t: number, r?: number) => void },
>(hooks: H | undefined, budget: RecordBudget): H | undefined {
  const report = hooks?.onProgress
  if (!hooks || !report) return hooks
  return {
    ...hooks,
    onProgress: (events: number, tick: number) => report(events, tick, budget.used),
  }
}
