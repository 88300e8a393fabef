/**
 * Where Xen events sit on the timeline (place.ts): the arrows of a call-function, and events
 * placed when recorded agree with the vCPU each CPU runs on.
 */
import { describe, expect, it } from 'vitest'
import { VcpuTracks } from '../../../src/engines/xen/place'
import { ARM_REGRESSION, xenRun } from '../../support/presetRuns'
import { runXenDoc } from './support'

describe('VcpuTracks.targets', () => {
  it("points at each target's vCPU once, never the caller's, and skips CPUs on no vCPU", () => {
    const t = new VcpuTracks(8)
    // cpu i runs on vCPU 7 - i; cpu 5 is not placed (-1), cpu 6 shares vCPU 3 with cpu 4
    const vcpuOf = Int32Array.from([7, 6, 5, 4, 3, -1, 3, 0])
    expect(t.targets([0, 1, 2, 3, 4, 5, 6, 7], 6, vcpuOf)).toEqual([
      'vcpu7',
      'vcpu5',
      'vcpu4',
      'vcpu3',
      'vcpu0',
    ])
    // a second call starts afresh (the seen-marks of the first do not leak)
    expect(t.targets([4, 6], undefined, vcpuOf)).toEqual(['vcpu3'])
    expect(t.targets([5], 0, vcpuOf)).toBeUndefined()
    expect(t.targets([], 0, vcpuOf)).toBeUndefined()
    // a vCPU out of range, or a CPU beyond the table, points nowhere
    expect(t.targets([0, 1, 9], undefined, [8, 2])).toEqual(['vcpu2'])
  })
})

describe('placement when recorded', () => {
  it('every IPI, hypercall and call-function sits on the vCPU its CPU runs on', () => {
    // kdump on vCPU 2: cpu 0 runs on vCPU 2, so CPU numbers and vCPU ids differ
    const r = runXenDoc({
      version: '4.8',
      type: 'pvhvm',
      maxVcpus: 6,
      kdump: 2,
      design: 'vcpu-id-mapping',
      steps: [
        { at: 0, cpu: 2, do: 'call-function', targets: [0, 1, 2, 3, 4, 5], wait: true },
        { at: 50, cpu: 4, do: 'send-ipi', target: 1, vector: 'reschedule' },
      ],
    })
    const vcpuOf = new Map(r.details.cpus.map((c) => [c.cpu, c.vcpu]))
    expect(vcpuOf.get(0)).toBe(2)
    expect(r.details.cpus.filter((c) => c.state === 'online')).toHaveLength(6)
    const track = (cpu: number) => `vcpu${vcpuOf.get(cpu)}`
    const cf = r.events.filter((e) => e.kind === 'call-function')
    expect(cf).toHaveLength(1)
    expect(cf[0]!.track).toBe(track(2))
    expect(cf[0]!.toTracks).toEqual([0, 1, 3, 4, 5].map(track))
    const ipis = r.events.filter((e) => e.kind === 'ipi')
    expect(ipis).toHaveLength(6)
    for (const e of ipis) {
      expect(e.track).toBe(track(e.from))
      expect(e.toTracks).toEqual([`vcpu${e.boundVcpu}`])
    }
    const calls = r.events.filter((e) => e.kind === 'hypercall')
    expect(calls.length).toBeGreaterThan(50)
    for (const e of calls) expect(e.track).toBe(`vcpu${e.onVcpu}`)
  })
})

describe('placement at the end of the run', () => {
  it('draws a CPU that failed before it ran on the vCPU it would start on', () => {
    // ARM 88e957d6: cpu 1 fails at CPU_UP_PREPARE, before it runs on vCPU 1
    const r = xenRun(ARM_REGRESSION)
    const failed = r.events.find((e) => e.kind === 'cpu-state' && e.state === 'failed')!
    expect(r.layout.kind === 'xen' && r.layout.cpus[1]).toMatchObject({ vcpu: null, startsOn: 1 })
    expect(failed).toMatchObject({ cpu: 1, track: 'vcpu1' })
  })

  it('draws the events of a CPU with no vCPU at all on the no-vcpu track, which the timeline then has', () => {
    // PVHVM with 2 vCPUs and nr_cpus 4: cpus 2 and 3 are possible, with no vCPU to start on
    const doc = { type: 'pvhvm' as const, maxVcpus: 2, nrCpus: 4, design: 'vcpu-id-mapping' }
    const ipi = { do: 'send-ipi', target: 0, vector: 'reschedule' }
    const r = runXenDoc({ ...doc, steps: [{ at: 5, cpu: 3, ...ipi }] })
    expect(r.layout.cpus[3]).toMatchObject({ vcpu: null, startsOn: null })
    const step = r.events.find((e) => e.kind === 'step')!
    expect(step).toMatchObject({ cpu: 3, outcome: 'skipped', track: 'no-vcpu' })
    expect(r.timeline.tracks.map((t) => `${t.id} (${t.group})`)).toEqual([
      'vcpu0 (Xen vCPUs)',
      'vcpu1 (Xen vCPUs)',
      'no-vcpu (Linux CPUs)',
    ])
    const fine = runXenDoc({ ...doc, steps: [{ at: 5, cpu: 1, ...ipi }] })
    expect(fine.timeline.tracks.map((t) => t.id)).toEqual(['vcpu0', 'vcpu1'])
  })
})
