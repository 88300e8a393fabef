/**
 * What a run records: the events (in the order they happen) and one timeline track per Xen vCPU,
 * whose spans say what the vCPU is doing (down, booting, preparing a CPU, starting, in an IPI
 * handler, spinning in smp_call_function). A gap between spans means the CPU is online and idle:
 * large runs spend most of their time there, and the gaps cost nothing to record. An IPI handler
 * interrupts whatever the vCPU was doing; the interrupted state resumes when the handler ends.
 */
import type { HypercallEvent, IpiEvent, Span, StateInfo } from '../../shared/result'
import { ChunkedList, RecordBudget, objectArray } from '../kernel'
import { withRoom } from './flat'
import { VcpuTracks, type Recorded } from './place'

export const TRACK_STATES: StateInfo[] = [
  { state: 'down', label: 'down', description: 'the vCPU is not running (_VPF_down)' },
  { state: 'boot', label: 'boot', description: 'the boot CPU setting itself up' },
  {
    state: 'prepare',
    label: 'prepare',
    description: 'the boot side running a CPU’s prepare steps (CPU_UP_PREPARE / CPUHP_*_PREPARE)',
  },
  {
    state: 'bringup',
    label: 'bring-up',
    description: 'the boot side starting a CPU and waiting for it to come online',
  },
  { state: 'starting', label: 'starting', description: 'a CPU running its own bring-up steps' },
  { state: 'step', label: 'workload', description: 'running a workload step' },
  {
    state: 'spinning',
    label: 'spinning',
    description: 'waiting in smp_call_function for the targets to start (and finish)',
  },
  { state: 'handler', label: 'IPI handler', description: 'an IPI handler in interrupt context' },
  { state: 'failed', label: 'failed', description: 'hit BUG/BUG_ON, or the guest panicked' },
]

/** The state of an online CPU with nothing to do: recorded as a gap, not a span. */
export const IDLE = 'idle'

export class TrackBuilder {
  readonly spans: Span[] = objectArray()
  constructor(private readonly budget: RecordBudget) {}

  private state: string | null = null
  private label: string | undefined
  private start = 0
  private inHandler = false
  private baseState: string | null = null
  private baseLabel: string | undefined

  /** Sets what the vCPU is doing from `at` on (deferred while a handler runs). */
  set(at: number, state: string, label?: string): void {
    if (this.inHandler) {
      this.baseState = state
      this.baseLabel = label
      return
    }
    if (state === this.state && label === this.label) return
    this.emit(at)
    this.state = state
    this.label = label
    this.start = at
  }

  beginHandler(at: number, label: string): void {
    this.emit(at)
    this.baseState = this.state
    this.baseLabel = this.label
    this.state = 'handler'
    this.label = label
    this.start = at
    this.inHandler = true
  }

  endHandler(at: number): void {
    this.emit(at)
    this.inHandler = false
    this.state = this.baseState
    this.label = this.baseLabel
    this.start = at
  }

  close(at: number): void {
    this.emit(at)
    this.state = null
  }

  private emit(at: number): void {
    if (this.state === null || this.state === IDLE || at <= this.start) return
    // `label` is always in the literal (undefined is left out of JSON): adding it afterwards would
    // give every span an out-of-object property array, 40 bytes each on large runs.
    this.budget.take(at)
    const span: Span = { start: this.start, end: at, state: this.state, label: this.label }
    this.spans.push(span)
  }
}

/** What became of an IPI (`Recorder.ipiSettled`), from its event's `outcome` and `deliveredToCpu`. */
export const IPI_LOST = 0
export const IPI_NOT_SENT = 1
/** Delivered to the CPU it was sent to. */
export const IPI_DELIVERED = 2
/** `outcome` delivered, but `deliveredToCpu` is another CPU. */
export const IPI_DELIVERED_ELSEWHERE = 3
export const IPI_MISDELIVERED = 4

export class Recorder {
  /** The events as recorded (chunked: see ChunkedList); `events` is them in one array. */
  private readonly log = new ChunkedList<Recorded>()
  private all: Recorded[] | null = null
  /** Indices of the events recorded without a track, placed at the end of the run (place.ts). */
  readonly unplaced: number[] = []
  readonly tracks: TrackBuilder[]
  readonly ids: VcpuTracks

  constructor(
    vcpus: number,
    private readonly budget = new RecordBudget(Infinity, ''),
  ) {
    this.tracks = Array.from({ length: vcpus }, () => new TrackBuilder(budget))
    this.ids = new VcpuTracks(vcpus)
  }

  /**
   * What the end-of-run scan needs, gathered as events are recorded (hypercalls never change
   * once recorded), so that it reads only the events it must: on large runs half the events are
   * EVTCHNOP_send hypercalls, and reading each again is a cache miss.
   */
  hypercalls = 0
  failedHypercalls = 0
  /** Hypercalls with a vCPU argument and BUGs, by event index. */
  readonly namingCalls: number[] = []
  readonly bugs: number[] = []
  /** The event index of each IPI, and what became of it (`ipiSettled`), in the order sent. */
  private readonly ipiLog = new ChunkedList<number>()
  private ipiStatuses = new Uint8Array(1024)

  /** How many events are recorded. */
  get count(): number {
    return this.log.length
  }

  /** Event `i`, while the run records or after. */
  event(i: number): Recorded | undefined {
    return this.all ? this.all[i] : this.log.at(i)
  }

  /**
   * Every event, in the order recorded: for the end of the run, when nothing more is recorded
   * (the first read builds the array; a later push throws).
   */
  get events(): Recorded[] {
    return (this.all ??= this.log.toArray())
  }

  /** IPI events recorded so far; IPI `k` is the k-th of them. */
  get ipiCount(): number {
    return this.ipiLog.length
  }

  /**
   * Counts the IPIs by what became of them, and appends to `missed` the event index of every IPI
   * that did not reach the CPU it was sent to, in order. One loop over a byte per IPI, with no
   * call in it but for the missed: it runs once, mostly before V8 optimises it.
   */
  tallyIpis(missed: number[]): { notSent: number; delivered: number; misdelivered: number } {
    const statuses = this.ipiStatuses
    const n = this.ipiLog.length
    const known = Math.min(n, statuses.length)
    let notSent = 0
    let delivered = 0
    let misdelivered = 0
    for (let k = 0; k < known; k++) {
      const status = statuses[k] as number
      if (status === IPI_DELIVERED) {
        delivered++
        continue
      }
      if (status === IPI_DELIVERED_ELSEWHERE) delivered++
      else if (status === IPI_MISDELIVERED) misdelivered++
      else if (status === IPI_NOT_SENT) notSent++
      missed.push(this.ipiLog.at(k) as number)
    }
    // IPIs past the statuses' end never settled: lost
    for (let k = known; k < n; k++) missed.push(this.ipiLog.at(k) as number)
    return { notSent, delivered, misdelivered }
  }

  /**
   * IPI `k`'s `outcome` (and `deliveredToCpu`) are final: kept as a byte per IPI, so that the
   * end-of-run scan counts outcomes without reading every IPI event again (on large runs that
   * read was a cache miss per IPI, 20 ms of building the result).
   */
  ipiSettled(k: number, e: Recorded<IpiEvent>): void {
    this.ipiStatuses = withRoom(this.ipiStatuses, k)
    this.ipiStatuses[k] =
      e.outcome === 'not-sent'
        ? IPI_NOT_SENT
        : e.outcome === 'misdelivered'
          ? IPI_MISDELIVERED
          : e.outcome === 'delivered'
            ? e.deliveredToCpu === e.to
              ? IPI_DELIVERED
              : IPI_DELIVERED_ELSEWHERE
            : IPI_LOST
  }

  push(e: Recorded): number {
    const i = this.add(e, e.track !== undefined)
    switch (e.kind) {
      case 'hypercall':
        this.counted(e.rc, e.vcpu !== null, i)
        break
      case 'ipi':
        this.ipiSettled(this.ipiLog.push(i), e)
        break
      case 'bug':
        this.bugs.push(i)
        break
    }
    return i
  }

  /*
   * `push` for the two events of every IPI sent, from a caller that knows their kind, whether it
   * placed them, and the hypercall's return value: `push` reads these back from the event, and
   * there each read is a megamorphic load (every kind of event has its own shape).
   */

  pushIpi(e: Recorded<IpiEvent>, placed: boolean): number {
    const i = this.add(e, placed)
    this.ipiLog.push(i)
    return i
  }

  /** A hypercall without a vCPU argument (EVTCHNOP_send) that returned `rc`. */
  pushPlainHypercall(e: Recorded<HypercallEvent>, rc: number, placed: boolean): number {
    const i = this.add(e, placed)
    this.counted(rc, false, i)
    return i
  }

  private add(e: Recorded, placed: boolean): number {
    if (this.all) throw new Error('an event was recorded after the run ended')
    this.budget.take(e.at)
    const i = this.log.push(e)
    if (!placed) this.unplaced.push(i)
    return i
  }

  private counted(rc: number, namesVcpu: boolean, i: number): void {
    this.hypercalls++
    if (rc < 0) this.failedHypercalls++
    if (namesVcpu) this.namingCalls.push(i)
  }

  track(vcpu: number | null): TrackBuilder | undefined {
    return vcpu === null ? undefined : this.tracks[vcpu]
  }
}
