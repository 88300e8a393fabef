/** The run as xl vcpu-list, ppc64_cpu --info and QEMU's info cpus print it, from the golden results. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RunResult } from '../../../src/shared/result'
import { renderView, viewText, type ViewOptions } from '../../../src/shared/views'
import { PROJECT_ROOT } from '../../../src/services/paths'

const golden = (id: string) =>
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'test', 'golden', `${id}.json`), 'utf8')) as RunResult

function view(id: string, name: string, opts: ViewOptions = {}) {
  const v = renderView(golden(id), name, opts)
  if (!v.ok) throw new Error(v.message)
  return v.view
}

describe('xl vcpu-list (xl_vcpu.c layout)', () => {
  it("prints xl's header, then a row per vCPU: the two offline vCPUs of web1 as --p, the online ones with ?? where the host scheduler would decide", () => {
    const v = view('xen-pvhvm-xl-2-of-4-online', 'xl-vcpu-list')
    const name = 'xl.cfg: HVM guest web1, 2 of 4 vCPUs online'
    expect(v.command).toBe(`xl vcpu-list '${name}'`)
    expect(v.lines[0]).toBe(
      'Name                                ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)',
    )
    // %-32s does not cut a longer name: the columns move right, as in xl.
    expect(v.lines.slice(1)).toEqual([
      `${name}     -     0    -   ??-         -  - / -`,
      `${name}     -     1    -   ??-         -  - / -`,
      `${name}     -     2    -   --p         -  - / -`,
      `${name}     -     3    -   --p         -  - / -`,
    ])
    expect(v.notes.join('\n')).toContain('vCPU 1: Linux CPU 1, online')
  })

  it('leaves the offline vCPUs out when asked, and says how many', () => {
    const v = view('xen-pvhvm-xl-2-of-4-online', 'xl-vcpu-list', { offline: false })
    expect(v.lines).toHaveLength(3)
    expect(v.notes).toContain(
      '2 offline vCPUs not listed (xl lists them; show offline vCPUs to see them).',
    )
  })

  it('the kdump crash kernel on vCPU 2: only vCPU 2 is up after the soft reset, and its Linux CPU 0 failed', () => {
    const v = view('xen-pvhvm-kdump-vcpu2-raw', 'xl-vcpu-list')
    const name = 'kdump on vCPU 2, without the mapping'
    expect(v.lines.slice(1).map((l) => l.slice(name.length))).toEqual([
      '     -     0    -   --p         -  - / -',
      '     -     1    -   --p         -  - / -',
      '     -     2    -   ??-         -  - / -',
      '     -     3    -   --p         -  - / -',
    ])
    expect(v.notes.join('\n')).toMatch(
      /vCPU 2: Linux CPU 0, failed \(BUG_ON in xen_vcpuop_set_next_event/,
    )
  })
})

describe('ppc64_cpu --info and info cpus (a QEMU pseries guest)', () => {
  it('pseries-4.1, -smp 8 threads=2: four cores of two Linux CPUs; CPU 2 is vcpu id 8, on host core 1', () => {
    const v = view('book3s-power8-qemu-pseries-4-1-smt2', 'ppc64-cpu-info')
    expect(v.lines).toEqual([
      'Core   0:    0*    1* ',
      'Core   1:    2*    3* ',
      'Core   2:    4*    5* ',
      'Core   3:    6*    7* ',
    ])
    expect(v.notes).toContain(
      '  CPU 2: vcpu id 8, last entered the guest on host CPU 8 (core 1, thread 0) at tick 0',
    )
    expect(v.notes).toContain(
      '  CPU 3: vcpu id 9, last entered the guest on host CPU 9 (core 1, thread 1) at tick 10',
    )
  })

  it('the same guest on the current pseries: the same Linux view, vcpu ids 0-7 in vcores of two', () => {
    const v = view('book3s-power8-qemu-pseries-smt2', 'ppc64-cpu-info')
    expect(v.lines[1]).toBe('Core   1:    2*    3* ')
    expect(v.notes).toContain(
      '  CPU 2: vcpu id 2, last entered the guest on host CPU 8 (core 1, thread 0) at tick 0',
    )
  })

  it("info cpus: QEMU's monitor lines, * on CPU #0, no host thread ids", () => {
    const v = view('book3s-power8-qemu-pseries-4-1-smt2', 'qemu-info-cpus')
    expect(v.lines.slice(0, 3)).toEqual([
      '* CPU #0: thread_id=-',
      '  CPU #1: thread_id=-',
      '  CPU #2: thread_id=-',
    ])
    expect(v.lines).toHaveLength(8)
    expect(v.notes).toContain(
      '  CPU #7: vcpu id 25, vcore 3, last entered the guest on host CPU 25 (core 3, thread 1) at tick 10',
    )
  })

  it('a POWER9 run groups vcpus by the emulated SMT mode', () => {
    const r = golden('book3s-power9-packing')
    const v = renderView(r, 'ppc64-cpu-info')
    if (!v.ok || r.engine !== 'book3s') throw new Error('view expected')
    const cores = new Set(
      r.details.vcpus
        .filter((x) => x.created)
        .map((x) => Math.floor(x.id / r.scenario.kvm.emulSmtMode)),
    )
    expect(v.view.lines).toHaveLength(cores.size)
  })
})

describe('where each vcpu last entered the guest', () => {
  it("a latecomer entered on its vcore's (sub)core of the dispatch before it, whatever the order of the dispatches", () => {
    const r = golden('book3s-power8-random-doorbells')
    if (r.engine !== 'book3s') throw new Error('a book3s run expected')
    // The view read back from the golden run, and from the same run with its dispatches listed
    // in reverse (no longer in tick order): the same text.
    const shuffled = {
      ...r,
      details: { ...r.details, dispatches: [...r.details.dispatches].reverse() },
    }
    const info = (x: RunResult) => {
      const v = renderView(x, 'qemu-info-cpus')
      if (!v.ok) throw new Error(v.message)
      return v.view.notes
    }
    // A latecomer after which its vcpu entered the guest no more.
    const enteredAt = (vcpu: number) => [
      ...r.details.dispatches.flatMap((d) =>
        d.threads.filter((t) => t.vcpu === vcpu && t.role === 'guest').map(() => d.at),
      ),
      ...r.events.flatMap((e) => (e.kind === 'latecomer' && e.vcpu === vcpu ? [e.at] : [])),
    ]
    const last = r.events.find(
      (e) => e.kind === 'latecomer' && Math.max(...enteredAt(e.vcpu)) === e.at,
    )
    if (last?.kind !== 'latecomer') throw new Error('a last latecomer expected')
    const d = r.details.dispatches.filter((x) => x.vcore === last.vcore && x.at <= last.at).at(-1)!
    const inCore = d.subcore * r.layout.threadsPerSubcore + last.thread
    const cpu = d.core * r.layout.threadsPerCore + inCore
    const said = `last entered the guest on host CPU ${cpu} (core ${d.core}, thread ${inCore}) at tick ${last.at}`
    expect(info(r).some((n) => n.includes(`vcpu id ${last.vcpu},`) && n.endsWith(said))).toBe(true)
    const reversedOrder = info(shuffled as RunResult)
    expect(
      reversedOrder.some(
        (n) => n.includes(`vcpu id ${last.vcpu},`) && n.includes(`at tick ${last.at}`),
      ),
    ).toBe(true)
  })
})

describe('renderView', () => {
  it('refuses a view of the other engine, naming the ones that fit', () => {
    expect(renderView(golden('xen-pvhvm-normal-boot'), 'ppc64-cpu-info')).toEqual({
      ok: false,
      message: '"ppc64-cpu-info" shows a book3s run; this is a xen run: use "xl-vcpu-list"',
    })
  })

  it('text is the lines, a blank line, then the notes', () => {
    const t = viewText({ command: 'x', lines: ['a'], notes: ['n'] })
    expect(t).toBe('a\n\nn\n')
  })
})
