/** Linked selection: rows of a thread or vcpu, thread states at a tick, doorbell arrows. */
import { describe, expect, it } from 'vitest'
import {
  cpuOfTrack,
  cpuOfVcpu,
  doorbellArrows,
  rowOfCpu,
  rowsOfVcpu,
  selectionOfRow,
  threadStatesAt,
  vcpuOfCpu,
} from '../../../src/shared/charts/layoutLinks'
import { prepareTimeline } from '../../../src/shared/charts/timelineModel'
import { syntheticBook3sRun } from '../../support/syntheticRuns'
import { ARM_REGRESSION, xenRun } from '../../support/presetRuns'

const run = syntheticBook3sRun({ doorbells: 2 })
const p = prepareTimeline(run)

describe('layout ↔ timeline', () => {
  it('maps a hardware thread to its track and back, and a vcpu to the rows it ran on', () => {
    expect(cpuOfTrack('cpu13')).toBe(13)
    expect(cpuOfTrack('core1')).toBeNull()
    expect(rowOfCpu(p, 2)).toBe(2)
    expect(rowsOfVcpu(p, run, 13)).toEqual([2])
    expect(cpuOfVcpu(run, 10)).toBe(1)
    expect(vcpuOfCpu(run, 0)).toBe(9)
    // xen: a track per Xen vCPU; a Linux CPU is on its vCPU's track, a failed one on the one it
    // would have started on.
    const xen = xenRun(ARM_REGRESSION)
    const px = prepareTimeline(xen)
    expect(px.tracks.map((t) => t.id)).toEqual(['vcpu0', 'vcpu1'])
    expect(rowsOfVcpu(px, xen, 0)).toEqual([0])
    expect(rowOfCpu(px, 1, xen)).toBe(1)
    expect(vcpuOfCpu(xen, 1)).toBeNull()
    expect(selectionOfRow(px, xen, 1)).toEqual({ cpu: 1, vcpu: 1 })
  })

  it('reads each thread’s state at a tick', () => {
    const states = threadStatesAt(p, 0)
    expect(states.get(0)).toBe('mmu-in')
    expect(states.get(1)).toBe('wait-in-guest')
    expect(states.size).toBe(8)
  })

  it('draws the misdelivered doorbell from vcpu 9’s thread to vcpu 13’s, dashed to vcpu 10’s', () => {
    expect(doorbellArrows(p, run, [0, 1])).toEqual([
      {
        fromCpu: 0,
        toCpu: 2,
        intendedCpu: 1,
        bad: true,
        label: 'vcpu 9, tag 2: landed on vcpu 13, meant for vcpu 10',
      },
      {
        fromCpu: 0,
        toCpu: 1,
        intendedCpu: null,
        bad: false,
        label: 'vcpu 9, tag 1: delivered to vcpu 10',
      },
    ])
  })
})
