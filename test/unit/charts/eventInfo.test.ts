/** How the views word an event, for any kind. */
import { describe, expect, it } from 'vitest'
import { eventFields, eventInfo, vcpuArg } from '../../../src/shared/charts/eventInfo'
import { syntheticBook3sRun } from '../../support/syntheticRuns'
import { ARM_REGRESSION, xenRun } from '../../support/presetRuns'

describe('eventInfo', () => {
  it('words a failed hypercall with its vCPU argument as Xen reads it, rc, errno and its CPU', () => {
    const e = xenRun(ARM_REGRESSION).events.find((x) => x.kind === 'hypercall' && x.rc !== 0)!
    expect(eventInfo(e)).toEqual({
      status: 'bad',
      title: 'EVTCHNOP_init_control(vcpu 4294967295 (-1)) for cpu 1',
      result: '-2 (-ENOENT)',
      numbers: [0, 4294967295, 0, 1],
    })
    expect(vcpuArg(null)).toBe('—')
  })

  it('counts VCPUOP_is_up returning 1 (the vCPU is up) as success: only rc < 0 went wrong', () => {
    const e = xenRun('xen-pv-nr-cpus-above-vcpus').events.find(
      (x) => x.kind === 'hypercall' && x.op === 'VCPUOP_is_up' && x.rc === 1,
    )!
    expect(eventInfo(e)).toMatchObject({ status: 'ok', result: '1' })
    const refused = xenRun('xen-pv-nr-cpus-above-vcpus').events.find(
      (x) => x.kind === 'hypercall' && x.op === 'VCPUOP_is_up' && x.rc < 0,
    )!
    expect(eventInfo(refused)).toMatchObject({ status: 'bad', result: '-2 (-ENOENT)' })
    expect(eventInfo({ kind: 'future-kind', at: 1, rc: 3 }).status).toBe('ok')
    expect(eventInfo({ kind: 'future-kind', at: 1, rc: -22 }).status).toBe('bad')
  })

  it('words the Xen bring-up: the id set, a CPU failing', () => {
    const run = xenRun(ARM_REGRESSION)
    const id = run.events.find((x) => x.kind === 'vcpu-id')!
    expect(eventInfo(id)).toMatchObject({ title: 'cpu 0: xen_vcpu_id = 0', result: 'from direct' })
    const failed = run.events.find((x) => x.kind === 'cpu-state' && x.state === 'failed')!
    expect(eventInfo(failed)).toMatchObject({
      status: 'bad',
      title: 'cpu 1 failed',
      result: 'init_control -ENOENT at CPU_UP_PREPARE',
    })
  })

  it('words a misdelivered doorbell with the vcpu it was meant for', () => {
    const e = syntheticBook3sRun().events[0]!
    expect(eventInfo(e)).toMatchObject({
      status: 'bad',
      title: 'msgsndp from vcpu 9, tag 2',
      result: 'misdelivered to vcpu 13 (meant for vcpu 10)',
    })
  })

  it('words the Xen SMP events of docs/result.md', () => {
    expect(
      eventInfo({
        kind: 'ipi',
        at: 1,
        from: 0,
        to: 1,
        vector: 'reschedule',
        boundVcpu: 0,
        deliveredToCpu: 0,
      }),
    ).toMatchObject({ status: 'bad', result: 'delivered to cpu 0, not 1' })
    expect(
      eventInfo({
        kind: 'call-function',
        at: 1,
        from: 0,
        targets: [1, 2],
        wait: true,
        started: 2,
        finished: 1,
        doneAt: null,
      }),
    ).toMatchObject({ status: 'bad', result: 'started 2/2, finished 1/2', numbers: [0, 1, 2] })
  })

  it('shows a kind it does not know with its own fields', () => {
    const e = { kind: 'tlb-flush', at: 3, vcpu: 5, value: 1, rc: 0, track: 'cpu5', note: undefined }
    expect(eventInfo(e)).toEqual({
      status: 'ok',
      title: 'tlb-flush: vcpu 5, value 1, rc 0',
      result: '0',
      numbers: [5],
    })
    expect(eventFields(e)).toContainEqual(['value', '1'])
    expect(eventFields(e).map(([k]) => k)).not.toContain('note')
  })

  it('words the book3s events: a TIR read that disagrees, a cede, a late secondary', () => {
    expect(
      eventInfo({
        kind: 'tir-read',
        at: 4,
        vcpu: 10,
        value: 1,
        expected: 2,
        ok: false,
        source: 's',
        confidence: 'derived',
      }),
    ).toMatchObject({ status: 'bad', result: '1, but the guest expects 2' })
    expect(
      eventInfo({
        kind: 'cede',
        at: 4,
        vcpu: 6,
        vcore: 1,
        thread: 2,
        outcome: 'exit-to-host',
        nappingThreads: 7,
        entryCount: 3,
        source: 's',
        confidence: 'source',
      }),
    ).toMatchObject({ status: 'neutral', result: 'last to cede: takes the vcore out' })
    expect(
      eventInfo({
        kind: 'secondary-too-late',
        at: 4,
        vcore: 1,
        thread: 3,
        vcpu: 7,
        source: 's',
        confidence: 'source',
      }),
    ).toMatchObject({ status: 'bad', result: 'vcpu 7 never entered' })
  })
})
