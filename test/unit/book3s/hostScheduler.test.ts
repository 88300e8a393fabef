/**
 * The host's timer tick and scheduler (timing.ts, runFlow.ts invariant 6): HDEC holds the host
 * decrementer at __kvmppc_vcore_entry, so every guest entry ends at the next host tick, and runner
 * tasks that find every (sub)core held share them through kvm_resched (book3s_hv.c @e0b7ec05).
 */
import { describe, expect, it } from 'vitest'
import { runBook3s } from '../../../src/engines/book3s'
import { hostTickTicks, schedSliceTicks } from '../../../src/engines/book3s/timing'
import type { Book3sRunResult, Span } from '../../../src/shared/result'
import { book3sScenario } from '../../support/scenarios'

type Doc = Parameters<typeof book3sScenario>[0]
const run = (doc: Doc) => runBook3s(book3sScenario(doc))
const spans = (r: Book3sRunResult, id: string): Span[] =>
  r.timeline.tracks.find((t) => t.id === id)!.spans
const events = <K extends string>(r: Book3sRunResult, kind: K) =>
  r.events.filter((e) => e.kind === kind) as Extract<
    Book3sRunResult['events'][number],
    { kind: K }
  >[]
const guestTicks = (r: Book3sRunResult, id: string, vcpu: number) =>
  spans(r, id)
    .filter((s) => s.state === 'guest' && s.label === `vcpu ${vcpu}`)
    .reduce((n, s) => n + s.end - s.start, 0)

describe('the host timer and CFS defaults as model ticks', () => {
  it('HZ 100 (powernv_defconfig) ticks every 10 ms = 1,000,000 ticks; HZ 1000 every 100,000', () => {
    expect(hostTickTicks(100)).toBe(1_000_000)
    expect(hostTickTicks(1000)).toBe(100_000)
  })

  it('slice = 6 ms × (1 + ilog2(min(cpus, 8))) / 2: 3 ms for one host CPU, 12 ms for 8 or more', () => {
    expect(schedSliceTicks(1)).toBe(300_000)
    expect(schedSliceTicks(2)).toBe(600_000)
    expect(schedSliceTicks(8)).toBe(1_200_000)
    expect(schedSliceTicks(256)).toBe(1_200_000)
  })
})

describe('an overcommitted POWER8 core under 3.14: two 1-vcpu vcores, one core', () => {
  // vcpus 0 and 8 are in vcores 0 and 1 (SMT mode 8): two runners for one core's thread 0.
  const doc: Doc = {
    processor: 'POWER8',
    cores: 1,
    kernel: '3.14',
    vcpuIds: [0, 8],
    until: 3_500_000,
  }
  const r = run(doc)

  it('vcpu 8 runs: the host tick at 10 ms preempts vcore 0 and hands cpu 0 to vcore 1', () => {
    const pre = events(r, 'vcore-preempted')
    expect(pre.map((e) => [e.vcore, e.by, e.pcpu])).toEqual([
      [0, 1, 0],
      [1, 0, 0],
      [0, 1, 0],
    ])
    // Each yield follows the HDEC exit at a host tick: 1,000,000 + save 10 + MMU switch back 10.
    expect(pre.map((e) => e.at)).toEqual([1_000_020, 2_000_020, 3_000_020])
    expect(guestTicks(r, 'cpu0', 0)).toBeGreaterThan(1_900_000)
    expect(guestTicks(r, 'cpu0', 8)).toBeGreaterThan(1_400_000)
  })

  it('vcore 1 waits for the core from tick 0, and says when the scheduler can next act', () => {
    const [w] = events(r, 'vcore-wait')
    expect(w).toMatchObject({
      at: 0,
      vcore: 1,
      runner: 8,
      nextHostTick: 1_000_000,
      sliceTicks: 300_000,
    })
    expect(spans(r, 'vcore1')[0]).toMatchObject({
      state: 'waiting-for-core',
      start: 0,
      end: 1_000_020,
    })
  })

  it('a preempted vcore stays EXITING (shown as preempted) until its runner has the CPU again', () => {
    expect(spans(r, 'vcore0').map((s) => s.state)).toEqual([
      'starting',
      'running',
      'preempted',
      'exiting',
      'starting',
      'running',
      'preempted',
    ])
    const v0 = r.layout.vcores.find((v) => v.vcore === 0)!
    expect(v0).toMatchObject({ stateAtEnd: 'preempted', preemptions: 2 })
    expect(v0.waitedTicks).toBe(1_000_000 + (3_500_000 - 3_000_020))
  })

  it('every guest entry ends at the host tick with an HDEC exit, not before', () => {
    const guest = spans(r, 'cpu0').filter((s) => s.state === 'guest')
    expect(guest.map((s) => s.end)).toEqual([1_000_000, 2_000_000, 3_000_000, 3_500_000])
  })

  it('with HZ 1000 a runner is preempted at the first tick after it has had its 3 ms slice', () => {
    const fast = run({ ...doc, hz: 1000, until: 800_000 })
    // vcore 1 gets cpu 0 at 300,020: at the tick of 600,000 it has had 299,980 ticks, under its
    // slice, so CFS leaves it until the tick of 700,000.
    expect(events(fast, 'vcore-preempted').map((e) => e.at)).toEqual([300_020, 700_020])
  })
})

describe('the same host under 4.13 (SMT mode 1): the runner yields as VCORE_PREEMPT', () => {
  const r = run({ processor: 'POWER8', cores: 1, smtMode: 1, vcpuIds: [0, 1], until: 3_500_000 })

  it('yields at the top of kvmppc_run_vcpu’s loop, after the exits are handled (c56dadf3)', () => {
    const pre = events(r, 'vcore-preempted')
    // HDEC exit at the tick + save 10 + MMU back 10 + host exit 20 + the loop 10.
    expect(pre.map((e) => [e.vcore, e.at, e.listed])).toEqual([
      [0, 1_000_050, false],
      [1, 2_000_050, false],
      [0, 3_000_050, false],
    ])
    expect(
      spans(r, 'vcore0')
        .map((s) => s.state)
        .slice(0, 4),
    ).toEqual(['starting', 'running', 'exiting', 'preempted'])
    expect(pre[0]!.source).toMatch(/VCORE_PREEMPT and cond_resched_lock/)
  })
})

describe('a core that is not overcommitted', () => {
  it('keeps its runner: the tick only takes the vcore out and back in (no preemption, no wait)', () => {
    const r = run({ processor: 'POWER8', cores: 1, vcpuIds: [0, 1], until: 2_500_000 })
    expect(events(r, 'vcore-preempted')).toEqual([])
    expect(events(r, 'vcore-wait')).toEqual([])
    // After each HDEC exit: save 10, MMU switch back 10, host exit handling 20, the runner's loop 10.
    expect(r.details.dispatches.map((d) => d.at)).toEqual([0, 1_000_050, 2_000_050])
  })

  it('does not enter the guest when the host tick is under 1 µs away (HDEC expires soon)', () => {
    // vcpu 0 enters KVM_RUN 60 ticks before the tick: thread 0 switches the MMU in and goes
    // straight to hdec_soon, again and again, until the tick has passed.
    const r = run({
      processor: 'POWER8',
      cores: 1,
      vcpuIds: [0],
      steps: [{ at: 999_940, vcpu: 0, do: 'run' }],
      until: 1_001_000,
    })
    const firstGuest = spans(r, 'cpu0').find((s) => s.state === 'guest')!
    expect(firstGuest.start).toBeGreaterThan(1_000_000)
    expect(spans(r, 'cpu0').some((s) => s.state === 'load-state' && s.start < 1_000_000)).toBe(
      false,
    )
  })
})
