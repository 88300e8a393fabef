/** The Xen map, from the engine's own runs of the ARM regression and the kdump presets. */
import { describe, expect, it } from 'vitest'
import { LIGHT } from '../../../src/shared/charts/palette'
import {
  MAX_XEN_ROWS,
  describeXenLayout,
  hypercallLine,
  xenColumns,
  xenGeometry,
  xenLayoutOption,
} from '../../../src/shared/charts/xenLayoutOption'
import type { HypercallEvent } from '../../../src/shared/result'
import { renderSvg } from '../../support/ssr'
import { ARM_REGRESSION, KDUMP_RAW, xenRun } from '../../support/presetRuns'

const arm = xenRun(ARM_REGRESSION)
const input = (r = arm) => ({
  layout: r.layout,
  events: r.events,
  title: r.scenario.name,
  subtitle: 'S',
  palette: LIGHT,
})

describe('xenGeometry', () => {
  it('the 2007 hang: cpu 1 is online in cpu_online_map with its vCPU down, drawn as such, not "offline"', () => {
    const hang = xenRun('xen-pv-2007-call-function-hang')
    const g = xenGeometry(input(hang))
    expect(g.cpus.map((c) => [c.cpu.cpu, c.cpu.state, c.stranded])).toEqual([
      [0, 'online', false],
      [1, 'online', true],
    ])
    expect(renderSvg(xenLayoutOption(input(hang)), g.width, g.height)).toContain(
      'cpu 1 · online, vCPU down',
    )
    expect(describeXenLayout(hang.layout, hang.events)).toContain(
      '2 online (1 of them with the vCPU down in Xen), 0 failed',
    )
  })

  it('keys the amber box "online, its vCPU down" only in a run that has such a CPU', () => {
    const keys = (r: ReturnType<typeof xenRun>) => xenGeometry(input(r)).legend.map((l) => l.key)
    expect(keys(xenRun('xen-pv-2007-call-function-hang'))).toContain('stranded')
    expect(keys(arm)).not.toContain('stranded')
  })

  it('breaks a long note into lines itself (exported SVG does not wrap), all of it kept', () => {
    const hang = xenRun('xen-pv-2007-call-function-hang')
    const g = xenGeometry(input(hang))
    const note = g.notes.find((n) => n.text.startsWith('event channels: 2l'))!
    const lines = note.text.split('\n')
    expect(lines.length).toBeGreaterThan(1)
    expect(note.text.replace(/\n/g, ' ')).toContain('(FIFO arrived in Linux 3.14 / Xen 4.4))')
    // The CPU column starts below the note's last line.
    expect(Math.min(...g.cpus.map((c) => c.y))).toBeGreaterThan(note.y + lines.length * 15)
  })

  it('ARM at 88e957d6: cpu 1 failed, its init_control named vCPU 4294967295, drawn as a box', () => {
    const g = xenGeometry(input())
    expect(g.cpus.map((c) => [c.cpu.cpu, c.cpu.state])).toEqual([
      [0, 'online'],
      [1, 'failed'],
    ])
    expect(g.vcpus.map((v) => [v.vcpu, v.info === null])).toEqual([
      [0, false],
      [1, false],
      [0xffffffff, true],
    ])
    const failed = g.cpus[1]!.failed
    expect(failed.map((h) => [h.op, h.vcpu, h.errno])).toEqual([
      ['EVTCHNOP_init_control', 0xffffffff, 'ENOENT'],
    ])
    expect(g.vcpus[0]!.x).toBeGreaterThan(g.cpus[0]!.x)
  })

  it('kdump without the mapping: cpu 0 on vCPU 2 issues calls that act on vCPU 0', () => {
    const g = xenGeometry(input(xenRun(KDUMP_RAW)))
    const cpu0 = g.cpus[0]!
    expect(cpu0.cpu.vcpu).toBe(2)
    expect(cpu0.failed[0]).toMatchObject({
      op: 'VCPUOP_set_singleshot_timer',
      vcpu: 0,
      errno: 'EINVAL',
    })
    expect(cpu0.strays.length).toBeGreaterThan(0)
    expect(cpu0.strays.every((h) => h.vcpu === 0 && h.rc === 0)).toBe(true)
    expect(g.notes.map((n) => n.text)).toContain('the guest panicked (see the failed CPU)')
  })

  it(`draws at most ${MAX_XEN_ROWS} rows and says how many it left out`, () => {
    const cpu = arm.layout.cpus[0]!
    const vcpu = arm.layout.vcpus[0]!
    const layout = {
      ...arm.layout,
      cpus: Array.from({ length: 100 }, (_, i) => ({
        ...cpu,
        cpu: i,
        vcpu: i,
        vcpuId: i,
        startsOn: i,
      })),
      vcpus: Array.from({ length: 100 }, (_, i) => ({ ...vcpu, vcpu: i, cpu: i })),
    }
    const g = xenGeometry({ layout, events: [] })
    expect([g.cpus.length, g.hiddenCpus, g.hiddenVcpus]).toEqual([MAX_XEN_ROWS, 36, 36])
  })
})

describe('xenColumns', () => {
  it('keeps the full columns where they fit, and narrows the links, then the CPU boxes', () => {
    expect(xenColumns(620)).toEqual({ cpuW: 212, linkW: 100, vcpuW: 150, perLine: 28 })
    // Two layouts side by side at 1280 px: about 446 px for the chart.
    const at1280 = xenColumns(446)
    expect(at1280).toMatchObject({ cpuW: 212, linkW: 56, vcpuW: 150 })
    expect(28 + at1280.cpuW + at1280.linkW + at1280.vcpuW).toBe(446)
    const narrow = xenColumns(400)
    expect(narrow.linkW).toBe(44)
    expect(narrow.cpuW).toBe(186)
    expect(narrow.perLine).toBeLessThan(28)
  })

  it('fits the whole map, the vCPU column included, in the width a 1280 px window gives it', () => {
    const g = xenGeometry({ ...input(), maxWidth: 446 })
    expect(g.width).toBe(446)
    for (const v of g.vcpus) expect(v.x + g.cols.vcpuW).toBeLessThanOrEqual(g.width - 14)
    const svg = renderSvg(xenLayoutOption({ ...input(), maxWidth: 446 }), g.width, g.height)
    expect(svg).toContain('XEN vCPU')
  })
})

describe('xenLayoutOption rendered by ECharts (SSR, SVG)', () => {
  it('shows the failed CPU with the id it carried and why, and the phantom vCPU in red', () => {
    const g = xenGeometry(input())
    const svg = renderSvg(xenLayoutOption(input()), g.width, g.height)
    expect(svg).toContain('cpu 1 · failed')
    expect(svg).toContain('id 4294967295 (-1) (before-set)')
    // The reason wraps inside the CPU's box.
    expect(svg).toContain('init_control -ENOENT at')
    expect(svg).toContain('vCPU 4294967295')
    expect(svg).toContain('(-1) no such vCPU')
    expect(svg).toContain('MPIDR 0x80000001')
    expect(svg).toContain('failed hypercall → the vCPU it named')
    expect(svg.toLowerCase()).toContain(`stroke="${LIGHT.bad}"`)
  })

  it('kdump without the mapping: the whole BUG_ON reason, errno last, fits the box on its own lines', () => {
    const kdump = xenRun(KDUMP_RAW)
    const cpu0 = kdump.layout.cpus.find((c) => c.cpu === 0)!
    expect(cpu0.reason).toBe(
      'BUG_ON in xen_vcpuop_set_next_event (VCPUOP_set_singleshot_timer -EINVAL)',
    )
    const g = xenGeometry(input(kdump))
    const svg = renderSvg(xenLayoutOption(input(kdump)), g.width, g.height)
    // one text element per line, the errno on the last: nothing is cut however the font measures
    for (const line of [
      'BUG_ON in',
      'xen_vcpuop_set_next_event',
      '(VCPUOP_set_singleshot_timer',
      '-EINVAL)',
    ])
      expect(svg).toContain(`>${line}</text>`)
    // and the box is tall enough for four lines of 12 px under its two header lines
    expect(g.rowH).toBeGreaterThanOrEqual(58 + 3 * 12)
  })

  it('says in one sentence why the CPU failed, for screen readers', () => {
    const failed = arm.events.find((e) => e.kind === 'hypercall' && e.rc !== 0) as HypercallEvent
    expect(describeXenLayout(arm.layout, arm.events)).toBe(
      `2 Linux CPUs on 2 Xen vCPUs; 1 online, 1 failed. cpu 1 failed (init_control -ENOENT at CPU_UP_PREPARE): ${hypercallLine(failed)}.`,
    )
    expect(hypercallLine(failed)).toMatch(
      /^EVTCHNOP_init_control\(vcpu 4294967295 \(-1\)\) → -2 \(-ENOENT\), boot side, by cpu 0 on vCPU 0, tick \d+$/,
    )
  })
})
