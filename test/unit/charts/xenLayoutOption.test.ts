/** The Xen map: Linux CPUs, the vCPUs they run on, and the hypercall that broke a CPU. */
import { describe, expect, it } from 'vitest'
import { LIGHT } from '../../../src/shared/charts/palette'
import {
  describeXenLayout,
  hypercallLine,
  xenGeometry,
  xenLayoutOption,
} from '../../../src/shared/charts/xenLayoutOption'
import type { HypercallEvent } from '../../../src/shared/result'
import { renderSvg } from '../../support/ssr'
import { syntheticXenArmRun } from '../../support/syntheticRuns'

const arm = syntheticXenArmRun()
const input = {
  layout: arm.layout,
  events: arm.events,
  title: 'ARM',
  subtitle: 'TV6',
  palette: LIGHT,
}

describe('xenGeometry', () => {
  it('lays CPUs on the left and vCPUs on the right, with a box for the vCPU -1 that does not exist', () => {
    const g = xenGeometry(input)
    expect(g.cpus.map((c) => c.cpu.cpu)).toEqual([0, 1])
    expect(g.vcpus.map((v) => [v.vcpu, v.phantom])).toEqual([
      [0, false],
      [1, false],
      [0xffffffff, true],
    ])
    expect(g.cpus[1]!.failed.map((h) => h.op)).toEqual(['EVTCHNOP_init_control'])
    expect(g.vcpus[0]!.x).toBeGreaterThan(g.cpus[0]!.x)
  })

  it('flags a call that succeeded on another CPU’s vCPU (kdump before 88e957d6)', () => {
    const layout = {
      kind: 'xen' as const,
      cpus: [{ cpu: 0, vcpu: 2, acpiId: 2, apicId: 4, state: 'online' as const, reason: null }],
      vcpus: [0, 1, 2].map((v) => ({ vcpu: v, online: v === 2, acpiId: v, apicId: 2 * v })),
    }
    const bind: HypercallEvent = {
      kind: 'hypercall',
      at: 5,
      op: 'EVTCHNOP_bind_virq',
      cpu: 0,
      onVcpu: 2,
      side: 'self',
      vcpu: 0,
      rc: 0,
      errno: null,
      source: 'TV3',
    }
    expect(xenGeometry({ layout, events: [bind] }).cpus[0]!.strays).toEqual([bind])
  })

  it('draws at most 64 rows and says how many it left out', () => {
    const many = {
      kind: 'xen' as const,
      cpus: Array.from({ length: 100 }, (_, i) => ({
        cpu: i,
        vcpu: i,
        acpiId: i,
        apicId: 2 * i,
        state: 'online' as const,
        reason: null,
      })),
      vcpus: Array.from({ length: 100 }, (_, i) => ({
        vcpu: i,
        online: true,
        acpiId: i,
        apicId: 2 * i,
      })),
    }
    const g = xenGeometry({ layout: many, events: [] })
    expect([g.cpus.length, g.hiddenCpus, g.hiddenVcpus]).toEqual([64, 36, 36])
  })
})

describe('xenLayoutOption rendered by ECharts (SSR, SVG)', () => {
  it('shows the failed CPU with its reason, the ids, and the phantom vCPU in red', () => {
    const g = xenGeometry(input)
    const svg = renderSvg(xenLayoutOption(input), g.width, g.height)
    expect(svg).toContain('cpu 1')
    // The reason wraps inside the CPU's box.
    expect(svg).toContain('init_control -ENOENT at')
    expect(svg).toContain('CPU_UP_PREPARE')
    expect(svg).toContain('cpu 1 · failed')
    expect(svg).toContain('vCPU 4294967295')
    expect(svg).toContain('(-1) no such vCPU')
    expect(svg).toContain('no such vCPU')
    expect(svg).toContain('ACPI 1 · APIC 2')
    expect(svg).toContain('hypercall that failed, to the vCPU it named')
    expect(svg.toLowerCase()).toContain(`stroke="${LIGHT.bad}"`)
  })

  it('says in one sentence why the CPU failed, for screen readers', () => {
    expect(describeXenLayout(arm.layout, arm.events)).toBe(
      '2 Linux CPUs on 2 Xen vCPUs; 1 online, 1 failed. cpu 1 failed (init_control -ENOENT at CPU_UP_PREPARE): ' +
        'EVTCHNOP_init_control(vcpu 4294967295 (-1)) → -2 (-ENOENT), boot side, on vCPU 0, tick 10.',
    )
    expect(hypercallLine(arm.events[0] as HypercallEvent)).toContain('→ 0')
  })
})
