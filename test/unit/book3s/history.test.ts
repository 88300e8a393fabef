/**
 * Book3S HV through its history (src/designs/book3sKernels): the 2015 entry and exit path,
 * co-scheduling (ec257165 piggybacking, b4deba5c dynamic micro-threading, b009031f), the runner's
 * host CPU (on_primary_thread, -EBUSY) and POWER9's indep_threads_mode. Each test states a fact
 * of the sources that a wrong model would break.
 */
import { describe, expect, it } from 'vitest'
import { runBook3s } from '../../../src/engines/book3s'
import {
  canPiggyback,
  collectPiggybacks,
  initCoreInfo,
  planSplit,
  subcoreConfigOk,
  type CoscheduleSettings,
} from '../../../src/engines/book3s/coschedule'
import type { Book3sRunResult, Span } from '../../../src/shared/result'
import { book3sScenario } from '../../support/scenarios'

type Doc = Parameters<typeof book3sScenario>[0]
const run = (doc: Doc) => runBook3s(book3sScenario(doc))
const events = <K extends string>(r: Book3sRunResult, kind: K) =>
  r.events.filter((e) => e.kind === kind) as Extract<
    Book3sRunResult['events'][number],
    { kind: K }
  >[]
const spans = (r: Book3sRunResult, id: string): Span[] =>
  r.timeline.tracks.find((t) => t.id === id)!.spans
const guestOf = (r: Book3sRunResult, id: string) =>
  spans(r, id)
    .filter((s) => s.state === 'guest')
    .map((s) => s.label)
const stepsRun = (ids: number[], at = 0) => ids.map((vcpu) => ({ at, vcpu, do: 'run' }))

const P8: CoscheduleSettings = {
  processor: 'POWER8',
  threadsPerSubcore: 8,
  targetThreads: 8,
  dynamicMtModes: 6,
  piggybackSubcore: true,
  dynamicSplit: true,
}
const vc = (numThreads: number, nRunnable = numThreads) => ({ numThreads, nRunnable })

describe('subcore_config_ok (book3s_hv.c, b4deba5c; POWER9 rule @00608e1f)', () => {
  it('POWER8 with dynamic_mt_modes 6: 2 subcores of up to 4 threads, 3 or 4 of up to 2', () => {
    expect(subcoreConfigOk(P8, 2, 4)).toBe(true)
    expect(subcoreConfigOk(P8, 2, 5)).toBe(false) // 2 × roundup(5) = 16 > 8
    expect(subcoreConfigOk(P8, 3, 2)).toBe(true)
    expect(subcoreConfigOk(P8, 4, 2)).toBe(true)
    expect(subcoreConfigOk(P8, 4, 3)).toBe(false)
    expect(subcoreConfigOk(P8, 5, 1)).toBe(false) // > MAX_SUBCORES
  })

  it('modes 2 forbid a 4-way split; modes 4 turn 2 subcores into a 4-way split', () => {
    expect(subcoreConfigOk({ ...P8, dynamicMtModes: 2 }, 3, 1)).toBe(false)
    expect(subcoreConfigOk({ ...P8, dynamicMtModes: 4 }, 2, 2)).toBe(true)
    expect(subcoreConfigOk({ ...P8, dynamicMtModes: 4 }, 2, 4)).toBe(false) // 4 × 4 > 8
    expect(subcoreConfigOk({ ...P8, dynamicMtModes: 0 }, 2, 1)).toBe(false)
  })

  it('an already split core (static split-core) cannot be split again; POWER9 takes 4 one-thread subcores', () => {
    expect(subcoreConfigOk({ ...P8, threadsPerSubcore: 4 }, 2, 1)).toBe(false)
    const p9 = { ...P8, processor: 'POWER9' as const, threadsPerSubcore: 4 }
    expect(subcoreConfigOk(p9, 4, 1)).toBe(true)
    expect(subcoreConfigOk(p9, 2, 2)).toBe(false)
    expect(subcoreConfigOk(p9, 5, 1)).toBe(false)
  })
})

describe('can_piggyback and the split plan', () => {
  it('POWER8: a 1-thread vcore joins a 1-thread master’s subcore; a 2-thread one gets a subcore of its own', () => {
    const master = vc(1)
    const ci = initCoreInfo(master)
    expect(canPiggyback(P8, vc(1), ci)).toBe('piggyback')
    expect(ci.subcores).toHaveLength(1)
    expect(canPiggyback(P8, vc(2), ci)).toBe('split')
    expect(ci.subcores.map((s) => s.length)).toEqual([2, 1])
    expect(ci.totalThreads).toBe(4)
  })

  it('after b009031f (no can_piggyback_subcore) every 1-thread vcore splits; POWER7 only piggybacks', () => {
    const ci = initCoreInfo(vc(1))
    expect(canPiggyback({ ...P8, piggybackSubcore: false }, vc(1), ci)).toBe('split')
    const p7 = { ...P8, processor: 'POWER7' as const, threadsPerSubcore: 4, targetThreads: 4 }
    const ci7 = initCoreInfo(vc(2))
    expect(canPiggyback(p7, vc(2), ci7)).toBe('piggyback') // any size on POWER7
    expect(canPiggyback(p7, vc(1), ci7)).toBeNull() // 2 + 2 + 1 > 4
  })

  it('collect_piggybacks drops a vcore with nothing runnable and stops at the target', () => {
    const list = [vc(1, 0), vc(1), vc(1), vc(1)]
    const { ci, looked } = collectPiggybacks({ ...P8, targetThreads: 3 }, vc(1), list)
    expect(looked.map((l) => l.outcome)).toEqual(['dropped', 'piggyback', 'piggyback'])
    expect(ci.totalThreads).toBe(3)
  })

  it('kvmppc_run_core: 2 subcores split 2 ways at threads 0 and 4; 3 split 4 ways at 0, 4, 2', () => {
    expect(planSplit('POWER8', 2, 6, 8)).toEqual({ split: 2, subcoreSize: 4, firstThread: [0, 4] })
    expect(planSplit('POWER8', 3, 6, 8)).toEqual({
      split: 4,
      subcoreSize: 2,
      firstThread: [0, 4, 2],
    })
    expect(planSplit('POWER8', 2, 4, 8).split).toBe(4)
    expect(planSplit('POWER9', 3, 6, 4)).toEqual({
      split: 1,
      subcoreSize: 1,
      firstThread: [0, 1, 2],
    })
  })
})

describe('the first exiter pulls the others out: hdec_soon (3.14) against kvmhv_commence_exit (4.1)', () => {
  const doc = (kernel: '3.14' | '4.1'): Doc => ({
    processor: 'POWER8',
    cores: 1,
    kernel,
    vcpuIds: [0, 1, 2, 3],
    steps: [...stepsRun([0, 1, 2, 3]), { at: 200, vcpu: 2, do: 'exit' }],
    until: 1000,
  })

  it('3.14: vcpu 2 exits; HDEC = 0 takes threads 0, 1 and 3 out, no IPI (nobody naps)', () => {
    const [e] = events(run(doc('3.14')), 'exit-sync')
    expect(e).toMatchObject({ thread: 2, trap: 'exit', hdec: [0, 1, 3], ipi: [] })
    expect(e!.method).toBeUndefined()
  })

  it('4.1: msgsnd to every entered thread but itself, RB 0x28000000 | thread, and no HDEC write', () => {
    const [e] = events(run(doc('4.1')), 'exit-sync')
    expect(e).toMatchObject({ thread: 2, trap: 'exit', hdec: [], ipi: [0, 1, 3], method: 'msgsnd' })
    expect(e!.rb).toEqual([0x28000000, 0x28000001, 0x28000003])
  })

  it('4.1: latecomers are woken by kvmppc_ipi_thread with msgsnd, thread 5 of a core with RB 0x28000005', () => {
    const r = run({ processor: 'POWER8', cores: 1, kernel: '4.1', vcpuIds: [0, 5], until: 500 })
    const [ipi] = events(r, 'thread-ipi')
    expect(ipi).toMatchObject({ why: 'latecomer', threads: [5], cpus: [5], method: 'msgsnd' })
    expect(ipi!.rb).toEqual([0x28000005])
    // 3.14 woke it with xics_wake_cpu and records no thread-ipi.
    const old = run({ processor: 'POWER8', cores: 1, kernel: '3.14', vcpuIds: [0, 5], until: 500 })
    expect(events(old, 'thread-ipi')).toEqual([])
  })
})

describe('the host tick on a vcore whose thread 0 has no vcpu (POWER7, vcpus 5 and 6)', () => {
  const doc = (kernel: '3.14' | '4.1'): Doc => ({
    processor: 'POWER7',
    cores: 1,
    kernel,
    vcpuIds: [5, 6],
    until: 1_000_200,
  })

  it('3.14: the first HDEC exiter IPIs the napping thread 0, which HDEC does not wake', () => {
    const [e] = events(run(doc('3.14')), 'exit-sync')
    expect(e).toMatchObject({ at: 1_000_010, thread: 1, trap: 'hdec', ipi: [0] })
  })

  it('4.1: thread 0 wakes by its decrementer (HDEC copied into DEC), exits with trap 0 and IPIs the rest over XICS', () => {
    const [e] = events(run(doc('4.1')), 'exit-sync')
    expect(e).toMatchObject({ at: 1_000_000, thread: 0, trap: 'none', ipi: [1, 2], method: 'xics' })
    expect(e!.rb).toBeUndefined()
  })
})

describe('piggybacking (ec257165): two 1-vcpu vcores on one POWER8 core', () => {
  const doc = (design: 'aligned' | 'piggyback'): Doc => ({
    processor: 'POWER8',
    cores: 1,
    design,
    kernel: '4.3',
    vcpuIds: [0, 8],
    until: 3_500_000,
  })
  const r = run(doc('piggyback'))

  it('vcore 0’s runner, preempted at the tick, is listed on cpu 0; vcore 1’s run takes it to thread 1', () => {
    const [pre] = events(r, 'vcore-preempted')
    expect(pre).toMatchObject({ vcore: 0, by: 1, listed: true, pcpu: 0 })
    const [co] = events(r, 'coschedule')
    expect(co).toMatchObject({
      at: pre!.at,
      vcore: 1,
      split: 1,
      subcores: [{ subcore: 0, thread: 0, vcores: [1, 0] }],
    })
    expect(guestOf(r, 'cpu1')).toContain('vcpu 0')
    const d = r.details.dispatches.find((x) => x.vcore === 0 && x.runBy === 1)
    expect(d?.threads).toEqual([{ thread: 1, vcpu: 0, role: 'guest' }])
  })

  it('the vcore track shows PIGGYBACK, and the masters alternate with the other always taken along', () => {
    expect(spans(r, 'vcore0').some((s) => s.state === 'piggyback')).toBe(true)
    expect(events(r, 'coschedule').map((e) => e.vcore)).toEqual([1, 0, 1])
  })

  it('uses twice the threads of the same guest under aligned, which runs one vcore at a time', () => {
    const a = run(doc('aligned'))
    expect(events(a, 'coschedule')).toEqual([])
    expect(events(a, 'vcore-preempted').every((e) => e.listed === false)).toBe(true)
    expect(r.metrics.threadUtilisation!.value).toBeGreaterThan(
      1.6 * a.metrics.threadUtilisation!.value,
    )
  })

  it('a 2-thread vcore does not piggyback on POWER8 (“wrong TIR value”), so the two take turns', () => {
    const r2 = run({ ...doc('piggyback'), vcpuIds: [0, 1, 8, 9] })
    expect(events(r2, 'coschedule')).toEqual([])
  })

  it('is the code of 4.3 to 4.8: b009031f took it out', () => {
    expect(() => book3sScenario({ ...doc('piggyback'), kernel: '4.9' })).toThrow(
      /kvm\.kernel: the piggyback design is the code of 4\.3–4\.8/,
    )
  })
})

describe('dynamic micro-threading (b4deba5c): two 2-thread vcores split one POWER8 core', () => {
  const r = run({
    processor: 'POWER8',
    cores: 1,
    design: 'dynamic-micro-threading',
    vcpuIds: [0, 1, 8, 9],
    until: 2_500_000,
  })

  it('splits 2 ways: vcore 1 (the runner) from thread 0, vcore 0 from thread 4', () => {
    const [co] = events(r, 'coschedule')
    expect(co).toMatchObject({
      vcore: 1,
      split: 2,
      subcores: [
        { subcore: 0, thread: 0, vcores: [1] },
        { subcore: 1, thread: 4, vcores: [0] },
      ],
    })
    expect(guestOf(r, 'cpu4')).toContain('vcpu 0')
    expect(guestOf(r, 'cpu5')).toContain('vcpu 1')
  })

  it('thread 4, thread 0 of subcore 1, switches the MMU for vcore 0 before vcpu 0 loads', () => {
    const s = spans(r, 'cpu4').filter((x) => x.start > 1_000_000 && x.start < 1_000_200)
    expect(s.map((x) => x.state)).toEqual(['mmu-in', 'load-state', 'guest'])
  })

  it('IPIs the idle threads 2, 3, 6, 7 so they nap, and the first exit asks subcore 1 out (VCORE_EXIT_REQ)', () => {
    const nap = events(r, 'thread-ipi').find((e) => e.why === 'split-nap')
    expect(nap?.threads).toEqual([2, 3, 6, 7])
    const exit = events(r, 'exit-sync').find((e) => e.exitReq !== undefined)
    expect(exit).toMatchObject({ vcore: 1, trap: 'hdec', exitReq: [0], ipi: [4, 5] })
  })

  it('records each vcore’s dispatch with the split and KVM’s subcore number', () => {
    const d = r.details.dispatches.find((x) => x.vcore === 0 && x.runBy === 1)
    expect(d).toMatchObject({ split: 2, kvmSubcore: 1, pcpu: 4 })
    expect(r.layout.cores[0]!.subcores[0]!.run?.subcores.map((s) => s.firstThread)).toEqual([0, 4])
    expect(r.checks.every((c) => c.ok)).toBe(true)
  })

  it('4.3 piggybacks 1-thread vcores onto one subcore; 4.9 (b009031f) gives each its own', () => {
    const base: Doc = {
      processor: 'POWER8',
      cores: 1,
      design: 'dynamic-micro-threading',
      vcpuIds: [0, 8],
      until: 1_500_000,
    }
    const [old] = events(run({ ...base, kernel: '4.3' }), 'coschedule')
    expect(old).toMatchObject({ split: 1, subcores: [{ thread: 0, vcores: [1, 0] }] })
    const [later] = events(run({ ...base, kernel: '4.9' }), 'coschedule')
    expect(later).toMatchObject({ split: 2, subcores: [{ thread: 0 }, { thread: 4 }] })
  })
})

describe('the runner’s host CPU: on_primary_thread (book3s_hv.c)', () => {
  // vcpu N's task is pinned to cpu N, as if the host had SMT on: vcpu 0 (cpu 0) runs the vcore
  // until it exits to userspace; then vcpu 1's task, on cpu 1, becomes the runner.
  const r = run({
    processor: 'POWER8',
    cores: 1,
    vcpuIds: [0, 1, 2, 3],
    steps: [
      ...[0, 1, 2, 3].map((vcpu) => ({ at: 0, vcpu, do: 'run', hostCpu: vcpu })),
      { at: 300, vcpu: 0, do: 'exit' },
    ],
    until: 1000,
  })

  it('runs while the runner is on thread 0, then every runnable vcpu gets -EBUSY', () => {
    const [e] = events(r, 'kvm-run-ebusy')
    expect(e).toMatchObject({
      vcore: 0,
      runner: 1,
      hostCpu: 1,
      threadInSubcore: 1,
      vcpus: [1, 2, 3],
      errno: 'EBUSY',
    })
    expect(r.details.dispatches).toHaveLength(1)
    const c = r.checks.find((x) => x.id === 'runner-on-primary-thread')
    expect(c).toMatchObject({ ok: false })
    expect(c!.message).toContain("vcore 0's runner (vcpu 1) was on cpu 1, thread 1")
  })

  it('without hostCpu the model keeps its choice: the runner is on thread 0', () => {
    const plain = run({ processor: 'POWER8', cores: 1, vcpuIds: [0, 1] })
    expect(events(plain, 'kvm-run-ebusy')).toEqual([])
    expect(plain.checks.map((c) => c.id)).not.toContain('runner-on-primary-thread')
  })

  it('hostCpu must be a CPU of the host, and only run takes it', () => {
    expect(() =>
      book3sScenario({
        processor: 'POWER8',
        cores: 1,
        vcpuIds: [0],
        steps: [{ at: 0, vcpu: 0, do: 'run', hostCpu: 8 }],
      }),
    ).toThrow('workload.steps[0].hostCpu: must be a host CPU of this host: 0 to 7 (got 8)')
    expect(() =>
      book3sScenario({
        processor: 'POWER8',
        cores: 1,
        vcpuIds: [0],
        steps: [{ at: 0, vcpu: 0, do: 'cede', hostCpu: 0 }],
      }),
    ).toThrow(/only run takes a hostCpu/)
  })
})

describe('POWER9 threading modes (indep_threads_mode, 4.19; removed by aaae8c79 in 5.14)', () => {
  const doc = (indepThreadsMode: boolean): Doc => ({
    processor: 'POWER9',
    cores: 1,
    design: 'dynamic-micro-threading',
    indepThreadsMode,
    vcpuIds: [0, 1, 2, 3],
    until: 2_500_000,
  })

  it('independent (the default): each vcpu runs alone on its own thread from the start', () => {
    const r = run(doc(true))
    for (const [cpu, v] of [0, 1, 2, 3].entries())
      expect(guestOf(r, `cpu${cpu}`)[0]).toBe(`vcpu ${v}`)
    expect(events(r, 'coschedule')).toEqual([])
  })

  it('dependent: one SMT4 core run from thread 0; preempted vcores join it on threads 1, 2 (thr = sub)', () => {
    const r = run(doc(false))
    // Until the first host tick only thread 0 runs: the other runners wait for cpu 0.
    expect(spans(r, 'cpu1').every((x) => x.start > 1_000_000)).toBe(true)
    const co = events(r, 'coschedule')
    expect(co.at(-1)).toMatchObject({
      split: 1,
      subcores: [
        { subcore: 0, thread: 0, vcores: [2] },
        { subcore: 1, thread: 1, vcores: [0] },
        { subcore: 2, thread: 2, vcores: [1] },
      ],
    })
  })

  it('5.14 has no dependent-threads mode; POWER7 and POWER8 have no such parameter', () => {
    expect(() => book3sScenario({ ...doc(false), kernel: '5.14' })).toThrow(
      /kvm\.indepThreadsMode: kernel 5\.14 has no dependent-threads mode on POWER9 \(aaae8c79/,
    )
    expect(() =>
      book3sScenario({ processor: 'POWER8', indepThreadsMode: true, vcpuIds: [0] }),
    ).toThrow(/applies only to POWER9/)
  })

  it('independent with hostCpu: the vcpu runs on the thread its task is on', () => {
    const r = run({
      processor: 'POWER9',
      cores: 1,
      vcpuIds: [0, 1],
      steps: [
        { at: 0, vcpu: 0, do: 'run', hostCpu: 2 },
        { at: 0, vcpu: 1, do: 'run', hostCpu: 3 },
      ],
      until: 500,
    })
    expect(guestOf(r, 'cpu2')).toEqual(['vcpu 0'])
    expect(guestOf(r, 'cpu3')).toEqual(['vcpu 1'])
    expect(events(r, 'kvm-run-ebusy')).toEqual([])
  })
})
