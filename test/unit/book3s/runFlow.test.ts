/**
 * The run flow against test vectors and the orderings of book3s_hv.c and book3s_hv_rmhandlers.S at
 * e0b7ec05: each test states a fact about where a vcpu runs, who switches the MMU, or what a count is.
 */
import { describe, expect, it } from 'vitest'
import { buildBook3sModel, runBook3s } from '../../../src/engines/book3s'
import type {
  Book3sRunResult,
  CedeEvent,
  DoorbellEvent,
  ExitSyncEvent,
  Span,
  TirReadEvent,
} from '../../../src/shared/result'
import { book3sScenario } from '../../support/scenarios'

type Doc = Parameters<typeof book3sScenario>[0]
const run = (doc: Doc) => runBook3s(book3sScenario(doc))
const spans = (r: Book3sRunResult, id: string): Span[] =>
  r.timeline.tracks.find((t) => t.id === id)!.spans
const states = (r: Book3sRunResult, id: string) =>
  spans(r, id).map((s) => (s.label ? `${s.state}(${s.label})` : s.state))
const events = <K extends string>(r: Book3sRunResult, kind: K) =>
  r.events.filter((e) => e.kind === kind) as Extract<
    Book3sRunResult['events'][number],
    { kind: K }
  >[]
const stepsRun = (ids: number[], at = 0) => ids.map((vcpu) => ({ at, vcpu, do: 'run' }))

describe('vector 7: ALIGN, POWER7, vcore 1 with vcpus 5 and 6 runnable', () => {
  const doc: Doc = {
    processor: 'POWER7',
    cores: 1,
    vcpuIds: [5, 6],
    steps: stepsRun([5, 6]),
    until: 200,
  }

  it('starts vcpus 5 and 6 on threads P+1 and P+2, n_woken = 2, and thread 0 with no vcpu', () => {
    const m = buildBook3sModel(book3sScenario(doc))
    m.sim.run({ until: 100, maxEvents: 1e5 })
    const vc = m.vcores[0]!
    expect(vc.id).toBe(1)
    const t = m.units[0]!.threads
    expect(t.map((th) => th.vcpu?.id ?? null)).toEqual([null, 5, 6, null])
    expect(vc.sub!.nWoken).toBe(2)
    expect(vc.sub!.entryCount).toBe(3)
    expect(vc.sub!.nappingThreads).toBe(0b001)
    expect(t[0]!.phase).toBe('novcpu-nap')
  })

  it('thread 0 switches the MMU, then naps as NAPPING_NOVCPU while 5 and 6 run', () => {
    const r = run(doc)
    expect(states(r, 'cpu0')).toEqual(['mmu-in', 'novcpu-nap(no vcpu)'])
    expect(states(r, 'cpu1')).toEqual([
      'wait-in-guest(vcpu 5)',
      'load-state(vcpu 5)',
      'guest(vcpu 5)',
    ])
    expect(states(r, 'cpu2')).toEqual([
      'wait-in-guest(vcpu 6)',
      'load-state(vcpu 6)',
      'guest(vcpu 6)',
    ])
    const mmuEnd = spans(r, 'cpu0')[0]!.end
    expect(spans(r, 'cpu1')[1]!.start).toBe(mmuEnd)
    expect(r.checks.find((c) => c.id === 'mmu-switched-by-thread0-first')!.ok).toBe(true)
  })
})

describe('vector 8: a latecomer with ptid 0 wakes thread 0 out of its no-vcpu nap', () => {
  const doc: Doc = {
    processor: 'POWER7',
    cores: 1,
    vcpuIds: [4, 5, 6],
    steps: [...stepsRun([5, 6]), { at: 100, vcpu: 4, do: 'run' }],
    until: 300,
  }

  it('puts vcpu 4 on thread 0 without counting it in n_woken', () => {
    const m = buildBook3sModel(book3sScenario(doc))
    m.sim.run({ until: 200, maxEvents: 1e5 })
    expect(m.vcores[0]!.sub!.nWoken).toBe(2)
    expect(m.units[0]!.threads[0]!.vcpu?.id).toBe(4)
  })

  it('thread 0 goes from the no-vcpu nap straight to loading vcpu 4 (kvmppc_got_guest)', () => {
    const r = run(doc)
    expect(states(r, 'cpu0')).toEqual([
      'mmu-in',
      'novcpu-nap(no vcpu)',
      'load-state(vcpu 4)',
      'guest(vcpu 4)',
    ])
    expect(events(r, 'latecomer')).toMatchObject([
      { vcore: 1, vcpu: 6, thread: 2 },
      { at: 100, vcore: 1, vcpu: 4, thread: 0 },
    ])
    expect(r.details.dispatches).toHaveLength(1)
  })
})

describe('vector 9: exit synchronisation', () => {
  const doc: Doc = {
    processor: 'POWER7',
    cores: 1,
    vcpuIds: [5, 6],
    steps: [...stepsRun([5, 6]), { at: 100, vcpu: 5, do: 'exit' }],
    until: 400,
  }

  it('the first exiter pokes HDEC for the thread in the guest and IPIs the napping thread 0', () => {
    const r = run(doc)
    const sync = events(r, 'exit-sync') as ExitSyncEvent[]
    expect(sync).toHaveLength(1)
    expect(sync[0]).toMatchObject({ vcore: 1, thread: 1, trap: 'exit', hdec: [2], ipi: [0] })
  })

  it('thread 0 switches the MMU back only after every entered thread saved its state and exited', () => {
    const r = run(doc)
    const mmuOut = spans(r, 'cpu0').find((s) => s.state === 'mmu-out')!
    const lastSave = Math.max(
      ...['cpu1', 'cpu2'].map((id) => spans(r, id).filter((s) => s.state === 'save-state')[0]!.end),
    )
    expect(mmuOut.start).toBeGreaterThanOrEqual(lastSave)
    expect(r.checks.find((c) => c.id === 'state-saved-before-switch-back')!.ok).toBe(true)
  })

  it('vcpu 5 goes back to userspace; vcpu 6 (RESUME_GUEST) runs again in a new dispatch', () => {
    const r = run(doc)
    expect(r.details.dispatches).toHaveLength(2)
    expect(r.details.dispatches[1]!.threads.map((t) => t.vcpu)).toEqual([null, null, 6, null])
  })

  it('a secondary reaching kvmppc_hv_entry after the first exit takes secondary_too_late', () => {
    const r = run({
      processor: 'POWER7',
      cores: 1,
      vcpuIds: [5, 6],
      // vcpu 5 exits at 100 (its save ends at 110); vcpu 6 joins at 107 and would enter at 112.
      steps: [...stepsRun([5]), { at: 100, vcpu: 5, do: 'exit' }, { at: 107, vcpu: 6, do: 'run' }],
      until: 400,
    })
    expect(events(r, 'latecomer')).toMatchObject([{ at: 107, vcpu: 6, thread: 2 }])
    expect(events(r, 'secondary-too-late')).toMatchObject([
      { at: 112, vcore: 1, thread: 2, vcpu: 6 },
    ])
    expect(states(r, 'cpu2')[0]).toBe('too-late')
    expect(r.checks.find((c) => c.id === 'entry-only-before-first-exit')!.ok).toBe(true)
    // vcpu 6 stays runnable and runs in the next dispatch
    expect(r.details.dispatches[1]!.threads[2]!.vcpu).toBe(6)
  })
})

describe('vector 10: H_CEDE accounting', () => {
  const doc: Doc = {
    processor: 'POWER7',
    cores: 1,
    vcpuIds: [5, 6],
    steps: [
      ...stepsRun([5, 6]),
      { at: 100, vcpu: 5, do: 'cede' },
      { at: 200, vcpu: 6, do: 'cede' },
    ],
    until: 500,
  }

  it('vcpu 5 naps (0b011, popcount 2 < 3); vcpu 6 is the last and takes the vcore out', () => {
    const r = run(doc)
    const cedes = events(r, 'cede') as CedeEvent[]
    expect(cedes.map((c) => [c.vcpu, c.outcome, c.nappingThreads, c.entryCount])).toEqual([
      [5, 'nap', 0b011, 3],
      [6, 'exit-to-host', 0b111, 3],
    ])
  })

  it('with every runnable vcpu ceded the runner sleeps (kvmppc_vcore_blocked)', () => {
    const r = run(doc)
    expect(states(r, 'vcore1')).toEqual(['starting', 'running', 'exiting', 'sleeping'])
    expect(r.details.dispatches).toHaveLength(1)
  })

  it('a wake of vcpu 6 brings the vcore back: 6 runs, 5 (still ceded) naps again', () => {
    const r = run({ ...doc, steps: [...doc.steps!, { at: 400, vcpu: 6, do: 'wake' }], until: 700 })
    expect(r.details.dispatches).toHaveLength(2)
    expect(states(r, 'cpu2').slice(-1)).toEqual(['guest(vcpu 6)'])
    expect(states(r, 'cpu1').slice(-1)).toEqual(['cede-nap(vcpu 5)'])
  })

  it('H_PROD before H_CEDE cancels the cede', () => {
    const r = run({
      ...doc,
      steps: [
        ...stepsRun([5, 6]),
        { at: 100, vcpu: 5, do: 'wake' },
        { at: 150, vcpu: 5, do: 'cede' },
      ],
    })
    expect((events(r, 'cede') as CedeEvent[]).map((c) => c.outcome)).toEqual(['cancelled-by-prod'])
  })
})

describe('first-come (@4b8473c9): threads in runnable-list order, non-ceded first', () => {
  it('vector 3: vcpus 5 and 6 of vcore 1 on threads 0 and 1', () => {
    const r = run({
      processor: 'POWER7',
      cores: 1,
      design: 'first-come',
      vcpuIds: [5, 6],
      steps: stepsRun([5, 6]),
      until: 200,
    })
    expect(states(r, 'cpu0')).toEqual(['mmu-in', 'load-state(vcpu 5)', 'guest(vcpu 5)'])
    expect(states(r, 'cpu1').slice(-1)).toEqual(['guest(vcpu 6)'])
  })

  it('vector 4: list [5 ceded, 6, 7 ceded] gives 6 → 0, 5 → 1, 7 → 2', () => {
    const r = run({
      processor: 'POWER7',
      cores: 1,
      design: 'first-come',
      vcpuIds: [5, 6, 7],
      steps: [
        ...stepsRun([5, 6, 7]),
        { at: 100, vcpu: 5, do: 'cede' },
        { at: 110, vcpu: 7, do: 'cede' },
        { at: 120, vcpu: 6, do: 'cede' },
        { at: 400, vcpu: 6, do: 'wake' },
      ],
      until: 700,
    })
    expect(r.details.dispatches.map((d) => d.threads.slice(0, 3).map((t) => t.vcpu))).toEqual([
      [5, null, null],
      [6, 5, 7],
    ])
  })

  it('vector 5: a ceded vcpu with a pending interrupt counts as not ceded: 5 → 0, 6 → 1', () => {
    const r = run({
      processor: 'POWER7',
      cores: 1,
      design: 'first-come',
      vcpuIds: [5, 6],
      steps: [
        ...stepsRun([5, 6]),
        { at: 100, vcpu: 6, do: 'cede' },
        { at: 110, vcpu: 5, do: 'cede' },
        { at: 400, vcpu: 5, do: 'wake' },
      ],
      until: 700,
    })
    expect(r.details.dispatches[1]!.threads.slice(0, 2).map((t) => t.vcpu)).toEqual([5, 6])
  })

  it('vector 6: a latecomer joining a running vcore with n_runnable 2 gets ptid 2', () => {
    const r = run({
      processor: 'POWER7',
      cores: 1,
      design: 'first-come',
      vcpuIds: [5, 6, 7],
      steps: [...stepsRun([5, 6]), { at: 100, vcpu: 7, do: 'run' }],
      until: 300,
    })
    expect(events(r, 'latecomer').map((e) => [e.vcpu, e.thread])).toEqual([
      [6, 1],
      [7, 2],
    ])
  })
})

describe('msgsndp on POWER8: the seed story (vcore 1 with vcpus 9 and 10)', () => {
  const steps = [
    ...stepsRun([9, 10]),
    { at: 100, vcpu: 9, do: 'msgsndp', tag: 2 },
    { at: 120, vcpu: 10, do: 'msgsndp', tag: 1 },
    { at: 130, vcpu: 10, do: 'read-tir' },
  ]
  const doc = (design: 'aligned' | 'first-come'): Doc => ({
    processor: 'POWER8',
    cores: 1,
    design,
    vcpuIds: [9, 10],
    steps,
    until: 300,
  })

  it('aligned: vcpu 9 on thread 1, vcpu 10 on thread 2; both doorbells reach the vcpu meant', () => {
    const r = run(doc('aligned'))
    const d = events(r, 'doorbell') as DoorbellEvent[]
    expect(d.map((e) => [e.from, e.tag, e.intended, e.deliveredTo, e.thread, e.outcome])).toEqual([
      [9, 2, 10, 10, 2, 'delivered'],
      [10, 1, 9, 9, 1, 'delivered'],
    ])
    expect((events(r, 'tir-read') as TirReadEvent[])[0]).toMatchObject({
      vcpu: 10,
      value: 2,
      expected: 2,
      ok: true,
    })
    expect(r.checks.find((c) => c.id === 'no-misdelivered-doorbell')!.ok).toBe(true)
  })

  it('first-come: vcpu 9 on thread 0, vcpu 10 on thread 1: one doorbell lost, one misdelivered to its own sender', () => {
    const r = run(doc('first-come'))
    const d = events(r, 'doorbell') as DoorbellEvent[]
    expect(d.map((e) => [e.from, e.tag, e.intended, e.deliveredTo, e.thread, e.outcome])).toEqual([
      [9, 2, 10, null, 2, 'lost'],
      [10, 1, 9, 10, 1, 'misdelivered'],
    ])
    expect((events(r, 'tir-read') as TirReadEvent[])[0]).toMatchObject({
      value: 1,
      expected: 2,
      ok: false,
    })
    const c = r.checks.find((x) => x.id === 'no-misdelivered-doorbell')!
    expect(c.ok).toBe(false)
    expect(c.refs.map((i) => r.events[i]!.kind)).toEqual(['doorbell'])
    expect(r.metrics.doorbellsLost!.value).toBe(1)
    expect(r.metrics.doorbellsMisdelivered!.value).toBe(1)
  })

  it('a doorbell to thread 0 with no vcpu (NAPPING_NOVCPU) is lost', () => {
    const r = run({
      processor: 'POWER8',
      cores: 1,
      vcpuIds: [9, 10],
      steps: [...stepsRun([9, 10]), { at: 100, vcpu: 9, do: 'msgsndp', tag: 0 }],
      until: 300,
    })
    expect((events(r, 'doorbell') as DoorbellEvent[])[0]).toMatchObject({
      intended: null,
      deliveredTo: null,
      thread: 0,
      outcome: 'lost',
    })
  })

  it('a tag beyond the subcore is ignored (4-way split: 2 threads per subcore)', () => {
    const r = run({
      processor: 'POWER8',
      cores: 1,
      subcoresPerCore: 4,
      vcpuIds: [12, 13],
      steps: [...stepsRun([12, 13]), { at: 100, vcpu: 12, do: 'msgsndp', tag: 5 }],
      until: 300,
    })
    expect((events(r, 'doorbell') as DoorbellEvent[])[0]).toMatchObject({
      outcome: 'ignored',
      thread: null,
    })
  })
})

describe('POWER7 and POWER9', () => {
  it('POWER7 has no msgsndp: the doorbell is ignored and says so', () => {
    const r = run({
      processor: 'POWER7',
      cores: 1,
      vcpuIds: [1, 2],
      steps: [...stepsRun([1, 2]), { at: 100, vcpu: 1, do: 'msgsndp', tag: 2 }],
      until: 300,
    })
    expect((events(r, 'doorbell') as DoorbellEvent[])[0]).toMatchObject({
      outcome: 'ignored',
      note: expect.stringContaining('POWER7 has no msgsndp'),
    })
  })

  it('vector 17: POWER9 emulation with emul_smt_mode 4 from vcpu 6: RB 0x28000001 → vcpu 5; tag 4 and type 0 ignored; TIR 2', () => {
    const r = run({
      processor: 'POWER9',
      cores: 2,
      emulSmtMode: 4,
      vcpuIds: [4, 5, 6, 7],
      steps: [
        ...stepsRun([4, 5, 6, 7]),
        { at: 100, vcpu: 6, do: 'msgsndp', rb: 0x28000001 },
        { at: 300, vcpu: 6, do: 'msgsndp', rb: 0x28000004 },
        { at: 500, vcpu: 6, do: 'msgsndp', rb: 0x00000001 },
        { at: 700, vcpu: 6, do: 'read-tir' },
      ],
      until: 1000,
    })
    const d = events(r, 'doorbell') as DoorbellEvent[]
    expect(d.map((e) => [e.outcome, e.deliveredTo])).toEqual([
      ['delivered', 5],
      ['ignored', null],
      ['ignored', null],
    ])
    expect(d[1]!.note).toBe('tag 4 >= emul_smt_mode 4')
    expect(d[2]!.note).toBe('message type 0 is not PPC_DBELL_SERVER (5)')
    expect((events(r, 'tir-read') as TirReadEvent[])[0]).toMatchObject({ value: 2, ok: true })
    // each emulated instruction is an exit to the host and back: vcpu 6's vcore dispatched 5 times
    expect(
      r.details.dispatches.filter(
        (x) => x.vcore === r.details.vcpus.find((v) => v.id === 6)!.vcore,
      ),
    ).toHaveLength(5)
  })

  it('vector 17, mask sensitivity: RB (0x15 << 27) | 1 is accepted by the 2018 masks and ignored by the 2020 fix', () => {
    const doc = (): Doc => ({
      processor: 'POWER9',
      cores: 1,
      emulSmtMode: 4,
      vcpuIds: [4, 5, 6],
      steps: [
        ...stepsRun([4, 5, 6]),
        { at: 100, vcpu: 6, do: 'msgsndp', rb: ((0x15 << 27) | 1) >>> 0 },
      ],
      until: 400,
    })
    const s2018 = book3sScenario(doc())
    const s2020 = book3sScenario(doc())
    s2020.kvm.doorbellMasks = '2020'
    expect(
      (runBook3s(s2018).events.find((e) => e.kind === 'doorbell') as DoorbellEvent).outcome,
    ).toBe('delivered')
    expect(
      (runBook3s(s2020).events.find((e) => e.kind === 'doorbell') as DoorbellEvent).outcome,
    ).toBe('ignored')
  })
})

describe('vcores compete for (sub)cores', () => {
  it('a vcore with no free (sub)core waits, then runs when one is freed', () => {
    const r = run({
      processor: 'POWER7',
      cores: 1,
      vcpuIds: [0, 4],
      steps: [...stepsRun([0, 4]), { at: 200, vcpu: 0, do: 'exit' }],
      until: 600,
    })
    expect(states(r, 'vcore1')[0]).toBe('waiting-for-core')
    expect(r.details.dispatches.map((d) => [d.vcore, d.core])).toEqual([
      [0, 0],
      [1, 0],
    ])
  })
})

describe('msgclrp', () => {
  it('POWER8: vcpu 10 clears the doorbell vcpu 9 sent it; a second msgclrp finds none', () => {
    const r = run({
      processor: 'POWER8',
      cores: 1,
      vcpuIds: [9, 10],
      steps: [
        ...stepsRun([9, 10]),
        { at: 100, vcpu: 9, do: 'msgsndp', tag: 2 },
        { at: 150, vcpu: 10, do: 'msgclrp' },
        { at: 200, vcpu: 10, do: 'msgclrp' },
      ],
      until: 300,
    })
    expect(events(r, 'msgclrp').map((e) => [e.vcpu, e.cleared, e.ignored])).toEqual([
      [10, true, false],
      [10, false, false],
    ])
  })

  it('POWER9: emulated, only for type PPC_DBELL_SERVER, and each one is an exit to the host', () => {
    const r = run({
      processor: 'POWER9',
      cores: 1,
      emulSmtMode: 4,
      vcpuIds: [4, 5],
      steps: [
        ...stepsRun([4, 5]),
        { at: 100, vcpu: 4, do: 'msgsndp', tag: 1 },
        { at: 300, vcpu: 5, do: 'msgclrp', rb: 0 },
        { at: 500, vcpu: 5, do: 'msgclrp' },
      ],
      until: 700,
    })
    expect(events(r, 'msgclrp').map((e) => [e.cleared, e.ignored])).toEqual([
      [false, true],
      [true, false],
    ])
    const vcore5 = r.details.vcpus.find((v) => v.id === 5)!.vcore
    expect(r.details.dispatches.filter((d) => d.vcore === vcore5)).toHaveLength(3)
  })
})

describe('every vcpu of a vcore on one (sub)core', () => {
  it('holds for a split-core run with latecomers, and says how many threads a (sub)core has', () => {
    const r = run({
      processor: 'POWER8',
      cores: 1,
      subcoresPerCore: 2,
      vcpuIds: [0, 1, 2, 3, 5],
      until: 300,
    })
    const c = r.checks.find((x) => x.id === 'vcore-on-one-subcore')!
    expect(c.ok).toBe(true)
    expect(c.message).toContain('(4 threads each)')
  })
})
