/** How the views word an event: the record of each kind (EVENT_KINDS), and any other kind. */
import { describe, expect, it } from 'vitest'
import {
  EVENT_KINDS,
  eventFields,
  eventInfo,
  eventStatus,
  eventTracks,
  kindSpec,
  vcpuArg,
} from '../../../src/shared/events'
import type { KindTable } from '../../../src/shared/events/kindSpec'
import { XEN_KINDS } from '../../../src/shared/events/xenKinds'
import type {
  CallFunctionEvent,
  HypercallEvent,
  IpiEvent,
  LabEvent,
  XenEvent,
} from '../../../src/shared/result'
import { syntheticBook3sRun } from '../../support/syntheticRuns'
import { allPresetRuns, ARM_REGRESSION, xenRun } from '../../support/presetRuns'

const hypercall = (over: Partial<HypercallEvent>): HypercallEvent => ({
  kind: 'hypercall',
  at: 1,
  op: 'VCPUOP_is_up',
  cpu: 0,
  onVcpu: 0,
  side: 'boot',
  vcpu: 1,
  rc: 0,
  errno: null,
  forCpu: 1,
  port: null,
  what: null,
  source: 's',
  confidence: 'source',
  track: 'vcpu0',
  ...over,
})

const ipi = (over: Partial<IpiEvent>): IpiEvent => ({
  kind: 'ipi',
  at: 1,
  from: 0,
  to: 1,
  vector: 'reschedule',
  boundVcpu: 0,
  deliveredToCpu: 0,
  port: 5,
  arrivedAt: 3,
  outcome: 'delivered',
  cause: null,
  source: 's',
  confidence: 'source',
  track: 'vcpu0',
  ...over,
})

describe('EVENT_KINDS', () => {
  it('has a record for every kind; a table that leaves one out does not compile', () => {
    const withoutBug: Omit<KindTable<XenEvent>, 'bug'> = XEN_KINDS
    // @ts-expect-error: a KindTable needs a record for every kind of the union ('bug' is missing)
    const table: KindTable<XenEvent> = withoutBug
    expect(table).toBe(XEN_KINDS)
    expect(Object.keys(EVENT_KINDS)).toHaveLength(25)
    expect(kindSpec('toString')).toBeUndefined()
  })

  it('words every event of every preset by its kind’s record, never as an unknown kind', () => {
    const seen = new Set<string>()
    for (const [name, r] of allPresetRuns()) {
      for (const e of r.events as LabEvent[]) {
        seen.add(e.kind)
        const info = eventInfo(e)
        expect(kindSpec(e.kind), `${name}: ${e.kind}`).toBeDefined()
        expect(info.title.startsWith(`${e.kind}:`), `${name}: ${info.title}`).toBe(false)
        expect(eventStatus(e)).toBe(info.status)
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(15)
  })
})

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

  it('counts a hypercall returning 1 (VCPUOP_is_up: the vCPU is up) as success: only rc < 0 went wrong', () => {
    expect(eventInfo(hypercall({ rc: 1 }))).toEqual({
      status: 'ok',
      title: 'VCPUOP_is_up(vcpu 1) for cpu 1',
      result: '1',
      numbers: [0, 1, 0, 1],
    })
    expect(eventInfo(hypercall({ rc: -2, errno: 'ENOENT' }))).toMatchObject({
      status: 'bad',
      result: '-2 (-ENOENT)',
    })
    const preset = xenRun('xen-pv-nr-cpus-above-vcpus').events.find(
      (x) => x.kind === 'hypercall' && x.op === 'VCPUOP_is_up' && x.rc === 1,
    )!
    expect(eventInfo(preset)).toMatchObject({ status: 'ok', result: '1' })
    // A hypercall that names no vCPU but says what it was for.
    expect(
      eventInfo(hypercall({ op: 'EVTCHNOP_send', vcpu: null, what: 'RESCHEDULE' })).title,
    ).toBe('EVTCHNOP_send(, RESCHEDULE) for cpu 1')
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
    expect(eventInfo(ipi({}))).toMatchObject({ status: 'ok', result: 'delivered to cpu 0, not 1' })
    expect(eventInfo(ipi({ outcome: 'misdelivered', cause: 'bound to vCPU 0' }))).toMatchObject({
      status: 'bad',
      result: 'delivered to cpu 0, not 1: bound to vCPU 0',
    })
    expect(
      eventInfo(ipi({ outcome: 'not-sent', deliveredToCpu: null, cause: 'no port' })),
    ).toMatchObject({ status: 'neutral', result: 'not sent: no port' })
    const call: CallFunctionEvent = {
      kind: 'call-function',
      at: 1,
      from: 0,
      targets: [1, 2],
      wait: true,
      started: 2,
      finished: 1,
      doneAt: null,
      func: 'function',
      missing: [2],
      ranOn: [1],
      hung: false,
      source: 's',
      confidence: 'source',
      track: 'vcpu0',
      toTracks: ['vcpu1', 'vcpu2'],
    }
    expect(eventInfo(call)).toEqual({
      status: 'bad',
      title: 'smp_call_function (function) from cpu 0 to 2 CPU(s)',
      result: 'started 2/2, finished 1/2',
      numbers: [0, 1, 2],
    })
    expect(eventStatus({ ...call, wait: false })).toBe('ok')
    expect(eventInfo({ ...call, hung: true }).result).toBe(
      'started 2/2, finished 1/2: the caller hangs',
    )
  })

  it('shows a kind it does not know with its own fields, and draws it where it says', () => {
    const e = { kind: 'tlb-flush', at: 3, vcpu: 5, value: 1, rc: 0, track: 'cpu5', note: undefined }
    expect(eventInfo(e)).toEqual({
      status: 'ok',
      title: 'tlb-flush: vcpu 5, value 1, rc 0',
      result: '0',
      numbers: [5],
    })
    expect(eventInfo({ kind: 'future-kind', at: 1, rc: 3 }).status).toBe('ok')
    expect(eventInfo({ kind: 'future-kind', at: 1, rc: -22 }).status).toBe('bad')
    expect(eventFields(e)).toContainEqual(['value', '1'])
    expect(eventFields(e).map(([k]) => k)).not.toContain('note')
    expect(eventTracks({ ...e, toTrack: 'cpu1', toTracks: ['cpu2', 3] })).toEqual({
      track: 'cpu5',
      toTracks: ['cpu1', 'cpu2'],
    })
    expect(eventTracks({ kind: 'floating', at: 1 })).toEqual({ track: undefined, toTracks: [] })
  })

  it('reads the tracks of a known kind as the engine set them', () => {
    expect(eventTracks(hypercall({ toTracks: ['vcpu1'] }))).toEqual({
      track: 'vcpu0',
      toTracks: ['vcpu1'],
    })
    expect(eventTracks(hypercall({}))).toEqual({ track: 'vcpu0', toTracks: [] })
  })

  it('words the book3s events: a TIR read that disagrees, a cede, a late secondary', () => {
    const placed = { track: 'cpu1', source: 's', confidence: 'source' } as const
    expect(
      eventInfo({ kind: 'tir-read', at: 4, vcpu: 10, value: 1, expected: 2, ok: false, ...placed }),
    ).toMatchObject({ status: 'bad', result: '1, but the guest expects 2' })
    expect(
      eventInfo({
        kind: 'tir-read',
        at: 4,
        vcpu: 10,
        value: null,
        expected: 2,
        ok: true,
        ...placed,
      }),
    ).toMatchObject({ status: 'ok', result: 'the model does not say (guest expects 2)' })
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
        ...placed,
      }),
    ).toEqual({
      status: 'neutral',
      title: 'vcpu 6 cedes (H_CEDE) on thread 2',
      result: 'last to cede: takes the vcore out',
      numbers: [6, 2],
    })
    expect(
      eventInfo({
        kind: 'secondary-too-late',
        at: 4,
        vcore: 1,
        thread: 3,
        vcpu: 7,
        ...placed,
      }),
    ).toMatchObject({ status: 'bad', result: 'vcpu 7 never entered', numbers: [7, 3] })
  })
})
