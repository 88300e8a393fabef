/** Scripted steps that cannot happen (steps.ts): each is recorded, and drawn where its vcpu is. */
import { describe, expect, it } from 'vitest'
import { runScenario } from '../../../src/engines'
import type { Book3sRunResult, StepSkippedEvent } from '../../../src/shared/result'
import { book3sScenario } from '../../support/scenarios'

describe('a skipped step', () => {
  // POWER8, one core, NR_CPUS 8: KVM_MAX_VCPU_ID is 8, so KVM refuses vcpu 9.
  const r = runScenario(
    book3sScenario({
      processor: 'POWER8',
      cores: 1,
      nrCpus: 8,
      vcpuIds: [0, 1, 9],
      steps: [
        { at: 0, vcpu: 9, do: 'run' },
        { at: 0, vcpu: 1, do: 'cede' },
        { at: 0, vcpu: 0, do: 'run' },
        { at: 300, vcpu: 0, do: 'run' },
      ],
      until: 600,
    }),
  ) as Book3sRunResult
  const skipped = r.events.filter((e): e is StepSkippedEvent => e.kind === 'step-skipped')
  const of = (vcpu: number) => skipped.find((e) => e.vcpu === vcpu)!

  it('of a vcpu KVM refused goes on the refused-vcpus track, which the timeline then has', () => {
    expect(of(9)).toMatchObject({
      reason: 'KVM refused to create this vcpu',
      track: 'refused-vcpus',
    })
    expect(r.timeline.tracks.at(-1)).toEqual({
      id: 'refused-vcpus',
      label: 'vcpus KVM refused',
      group: 'KVM',
      spans: [],
    })
  })

  it('of a vcpu that has not run yet goes on its vcore’s track', () => {
    expect(of(1)).toMatchObject({ reason: 'the vcpu is not executing guest code', track: 'vcore0' })
  })

  it('of a vcpu that runs goes on its thread (aligned: vcpu 0 on thread 0, cpu 0)', () => {
    expect(of(0)).toMatchObject({ reason: 'the vcpu is already in KVM_RUN', track: 'cpu0' })
  })

  it('leaves the timeline without a refused-vcpus track when no step names a refused vcpu', () => {
    const doc = { processor: 'POWER8' as const, nrCpus: 8, vcpuIds: [0, 9] }
    const plain = runScenario(book3sScenario({ ...doc, steps: [{ at: 0, vcpu: 0, do: 'run' }] }))
    expect((plain as Book3sRunResult).details.vcpus.map((v) => v.created)).toEqual([true, false])
    expect(plain.timeline.tracks.map((t) => t.id)).not.toContain('refused-vcpus')
    // With no workload every vcpu enters KVM_RUN, the refused one too: its skipped step has the track.
    const implicit = runScenario(book3sScenario(doc))
    expect(implicit.timeline.tracks.at(-1)?.id).toBe('refused-vcpus')
  })
})
