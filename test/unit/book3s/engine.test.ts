/** The book3s engine as a user meets it: where each vcpu lands, and the checks. */
import { describe, expect, it } from 'vitest'
import { runBook3s } from '../../../src/engines/book3s'
import type { Book3sRunResult, PowerThread } from '../../../src/shared/result'
import { book3sScenario } from '../../support/scenarios'

function threadOf(r: Book3sRunResult, vcpu: number) {
  for (const core of r.layout.cores)
    for (const sc of core.subcores)
      for (const t of sc.threads)
        if (t.vcpu === vcpu) return { core: core.core, subcore: sc.subcore, t }
  return null
}
const thread0s = (r: Book3sRunResult): PowerThread[] =>
  r.layout.cores.flatMap((c) =>
    c.subcores.filter((s) => s.vcore !== null).map((s) => s.threads[0]!),
  )
const check = (r: Book3sRunResult, id: string) => r.checks.find((c) => c.id === id)!

describe('book3s layout: where vcpus land when every vcpu runs from tick 0', () => {
  it('vcpu 13 on POWER8 lands on thread 5 of the core that runs vcore 1, host cpu P+5', () => {
    const r = runBook3s(book3sScenario({ processor: 'POWER8', cores: 2, vcpuIds: [0, 13] }))
    const at = threadOf(r, 13)!
    expect(at.core).toBe(1)
    expect(at.t.thread).toBe(5)
    expect(at.t.cpu).toBe(8 + 5)
    expect(r.layout.vcores.find((v) => v.vcore === 1)!.placedOn).toEqual({
      core: 1,
      subcore: 0,
      pcpu: 8,
    })
  })

  it('thread 0 of vcore 1 has no vcpu: it is set up to switch the MMU and nap (NAPPING_NOVCPU)', () => {
    const r = runBook3s(book3sScenario({ processor: 'POWER8', cores: 2, vcpuIds: [0, 13] }))
    const t0 = r.layout.cores[1]!.subcores[0]!.threads[0]!
    expect(t0).toMatchObject({
      vcpu: null,
      role: 'no-vcpu-nap',
      switchesMmu: true,
      phase: 'novcpu-nap',
    })
    expect(r.metrics.thread0NoVcpuNap!.unit).toBe('µs')
    expect(r.metrics.thread0NoVcpuNap!.value).toBeGreaterThan(0)
    expect(thread0s(r).every((t) => t.switchesMmu)).toBe(true)
  })

  it('vector 7 layout: POWER7 vcore 1 with vcpus 5 and 6 uses threads 1 and 2, thread 0 empty', () => {
    const r = runBook3s(book3sScenario({ processor: 'POWER7', cores: 1, vcpuIds: [5, 6] }))
    const threads = r.layout.cores[0]!.subcores[0]!.threads
    expect(threads.map((t) => t.vcpu)).toEqual([null, 5, 6, null])
    expect(threads[0]!.role).toBe('no-vcpu-nap')
    expect(check(r, 'virtual-thread-is-physical-thread').ok).toBe(true)
  })

  it('split-core: 4-way POWER8 puts vcore 6 (vcpus 12, 13) on a 2-thread subcore', () => {
    const r = runBook3s(
      book3sScenario({ processor: 'POWER8', cores: 1, subcoresPerCore: 4, vcpuIds: [12, 13] }),
    )
    expect(r.layout.threadsPerSubcore).toBe(2)
    const sc = r.layout.cores[0]!.subcores[0]!
    expect(sc.vcore).toBe(6)
    expect(sc.threads.map((t) => [t.thread, t.vcpu])).toEqual([
      [0, 12],
      [1, 13],
    ])
  })

  it('vcores beyond the (sub)cores wait for one and stay unplaced while every vcpu keeps running', () => {
    const r = runBook3s(book3sScenario({ processor: 'POWER7', cores: 1, vcpuIds: [0, 4, 8] }))
    expect(r.layout.vcores.map((v) => v.placedOn === null)).toEqual([false, true, true])
    expect(r.timeline.tracks.find((t) => t.id === 'vcore2')!.spans[0]!.state).toBe(
      'waiting-for-core',
    )
  })

  it('POWER9: every vcpu is its own vcore on thread 0 of a one-thread subcore', () => {
    const r = runBook3s(book3sScenario({ processor: 'POWER9', cores: 1, vcpuIds: [0, 1, 2, 3] }))
    expect(r.layout.subcoresPerCore).toBe(4)
    expect(r.layout.cores[0]!.subcores.map((s) => s.threads.map((t) => t.vcpu))).toEqual([
      [0],
      [1],
      [2],
      [3],
    ])
  })
})

describe('book3s layout: first-come (2013) misplaces virtual threads', () => {
  it('vector 3: POWER7 vcpus 5, 6 take threads 0 and 1, and the alignment check fails naming them', () => {
    const r = runBook3s(
      book3sScenario({ processor: 'POWER7', cores: 1, design: 'first-come', vcpuIds: [5, 6] }),
    )
    expect(r.layout.cores[0]!.subcores[0]!.threads.map((t) => t.vcpu)).toEqual([5, 6, null, null])
    const c = check(r, 'virtual-thread-is-physical-thread')
    expect(c.ok).toBe(false)
    expect(c.message).toContain('vcpu 5 (virtual thread 1) on physical thread 0')
    expect(r.metrics.misalignedPlacements!.value).toBe(2)
  })
})

describe('book3s: the result', () => {
  it('has the fixed details.vcpus fields and echoes the normalised scenario', () => {
    const r = runBook3s(book3sScenario({ processor: 'POWER8', nrCpus: 16, vcpuIds: [1, 16] }))
    expect(r.details.vcpus.map((v) => Object.keys(v).sort())).toEqual([
      ['created', 'error', 'firstVcpuId', 'id', 'ptid', 'reason', 'vcore'],
      ['created', 'error', 'firstVcpuId', 'id', 'ptid', 'reason', 'vcore'],
    ])
    expect(r.details.vcpus[1]).toMatchObject({ id: 16, created: false, error: 'EINVAL' })
    expect(r.scenario.kvm.smtMode).toBe(8)
    expect(r.engine).toBe('book3s')
    expect(r.design).toBe('aligned')
    expect(r.metrics.vcpusRefused!.value).toBe(1)
  })

  it('is byte-identical for the same scenario', () => {
    const s = book3sScenario({ processor: 'POWER8', cores: 3, vcpuIds: [0, 3, 9, 17, 22] })
    expect(JSON.stringify(runBook3s(s))).toBe(JSON.stringify(runBook3s(s)))
  })
})
