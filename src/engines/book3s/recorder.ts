/**
 * What a run leaves behind: a span per phase of each hardware thread and per state of each vcore,
 * the instant events, and the dispatches. Only records; decides nothing.
 */
import type { Book3sEvent, Span, Track } from '../../shared/result'
import { RecordBudget } from '../kernel'
import type { DispatchRecord, HwThread, Phase, Vcore, VcoreSpanState } from './state'

/** The timeline state of each vcore state (INACTIVE leaves a gap). */
const VCORE_SPAN: Record<VcoreSpanState, string> = {
  INACTIVE: 'inactive',
  SLEEPING: 'sleeping',
  STARTING: 'starting',
  RUNNING: 'running',
  EXITING: 'exiting',
  PREEMPT: 'preempted',
  PIGGYBACK: 'piggyback',
  WAITING: 'waiting-for-core',
  PREEMPTED: 'preempted',
}

export class Recorder {
  readonly events: Book3sEvent[] = []
  readonly dispatches: DispatchRecord[] = []
  /** Scripted or random steps that found nothing to act on (random ones are only counted). */
  randomNoops = 0
  /** Ticks threads spent in the guest and in the no-vcpu nap, summed as spans close (for metrics). */
  guestTicks = 0
  novcpuTicks = 0
  /** The track of steps naming a vcpu KVM refused: on the timeline only once one is recorded. */
  refused: Track | null = null

  constructor(private readonly budget = new RecordBudget(Infinity, '')) {}

  /** Ends the thread's current span at `now` and starts `phase` (`host` leaves a gap). */
  phase(th: HwThread, phase: Phase, now: number, label?: string, ref?: string): void {
    this.close(th.open, now, th.track)
    th.open = null
    th.phase = phase
    th.since = now
    if (phase === 'host') return
    // One shape for every span (label and ref present even when undefined; JSON drops them).
    th.open = { start: now, end: now, state: phase, label, ref }
  }

  /** Ends the vcore's current span and starts one for `state` (INACTIVE leaves a gap). */
  vcoreState(vc: Vcore, state: VcoreSpanState, now: number): void {
    if (state !== 'WAITING' && state !== 'PREEMPTED') vc.state = state
    this.close(vc.open, now, vc.track)
    vc.open = null
    if (state === 'INACTIVE') return
    vc.open = { start: now, end: now, state: VCORE_SPAN[state], label: undefined, ref: undefined }
  }

  /** The `refused-vcpus` track, made on first use. */
  refusedTrack(): Track {
    return (this.refused ??= {
      id: 'refused-vcpus',
      label: 'vcpus KVM refused',
      group: 'KVM',
      spans: [],
    })
  }

  event(e: Book3sEvent): number {
    this.budget.take(e.at)
    this.events.push(e)
    return this.events.length - 1
  }

  /** Spans of zero length carry nothing on a timeline and are dropped. */
  private close(span: Span | null, now: number, track: Track): void {
    if (!span) return
    span.end = now
    const length = now - span.start
    if (length <= 0) return
    this.budget.take(now)
    track.spans.push(span)
    if (span.state === 'guest') this.guestTicks += length
    else if (span.state === 'novcpu-nap') this.novcpuTicks += length
  }

  /** Closes every open span at the end of the run. */
  closeAll(threads: readonly HwThread[], vcores: readonly Vcore[], end: number): void {
    for (const th of threads) {
      this.close(th.open, end, th.track)
      th.open = null
    }
    for (const vc of vcores) {
      this.close(vc.open, end, vc.track)
      vc.open = null
    }
  }
}
