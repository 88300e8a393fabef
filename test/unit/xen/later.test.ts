/**
 * Xen guests after Linux 4.9 (src/designs/xenEras): PVH, vCPU hot-add with the real ACPI id,
 * kdump on a vCPU of 32 or more, vcpu_info beyond the 32 shared_info slots, and the ARM vGIC's
 * vCPU limit. Each test states a fact of the Linux or Xen source (derived where nothing ran).
 */
import { describe, expect, it } from 'vitest'
import { Guest } from '../../../src/engines/xen/guest'
import { xenVcpuSetup } from '../../../src/engines/xen/guestCalls'
import { domainMaxVcpus } from '../../../src/engines/xen/hypervisor'
import { callsFor, ofKind, runXenDoc, xenScenario, type XenDoc } from './support'

const cpusOf = (r: ReturnType<typeof runXenDoc>) =>
  r.details.cpus.map((c) => `${c.cpu}:${c.vcpu ?? '-'}/${c.state}`)

describe('PVH guests (Linux 4.11, Xen 4.10)', () => {
  const pvh = (version: string): XenDoc => ({
    version,
    type: 'pvh',
    maxVcpus: 4,
    onlineVcpus: 2,
    design: 'vcpu-id-mapping',
    era: '4.11',
  })

  it('boot like PVHVM: id from CPUID leaf base+4, the same prepare hypercalls, INIT/SIPI', () => {
    const r = runXenDoc(pvh('4.19'))
    expect(ofKind(r, 'vcpu-id')[0]).toMatchObject({ cpu: 0, vcpu: 0, via: 'cpuid' })
    expect(callsFor(r, 1).slice(0, 3)).toEqual([
      'VCPUOP_register_vcpu_info(1)=0',
      'EVTCHNOP_bind_virq:VIRQ_TIMER(1)=0',
      'EVTCHNOP_bind_ipi:RESCHEDULE(1)=0',
    ])
    expect(ofKind(r, 'ap-start').map((e) => e.method)).toEqual(['INIT/SIPI'])
    expect(r.layout.guestType).toBe('pvh')
  })

  it('Xen before 4.19 enables every MADT entry: all 4 come up, then the xenstore watcher takes 2 and 3 down', () => {
    const r = runXenDoc(pvh('4.10'))
    expect(cpusOf(r)).toEqual(['0:0/online', '1:1/online', '2:2/offline', '3:3/offline'])
    expect(r.details.cpus[2]!.reason).toContain('setup_cpu_watcher')
    expect(ofKind(r, 'ap-start')).toHaveLength(3)
    // Xen 4.19 (5cc7347b04): cpus 2 and 3 are possible, not present, and never start.
    expect(ofKind(runXenDoc(pvh('4.19')), 'ap-start')).toHaveLength(1)
  })

  it('need Linux 4.11 and Xen 4.10; later eras model PVHVM and PVH only', () => {
    expect(() => xenScenario({ ...pvh('4.10'), era: '4.9' })).toThrow(
      /linux\.era: PVH guests need Linux 4\.11 or later \(xen_pvh\); must be one of "4\.11", "5\.4", "5\.10", "5\.18"/,
    )
    expect(() => xenScenario(pvh('4.9'))).toThrow(/xen\.version: libxl builds PVH guests/)
    expect(() =>
      xenScenario({ type: 'pv', maxVcpus: 2, design: 'vcpu-id-mapping', era: '5.4' }),
    ).toThrow(/Linux 5\.4 is modelled for pvhvm and pvh guests only/)
    expect(() =>
      xenScenario({ type: 'pvhvm', maxVcpus: 2, design: 'raw-cpu', era: '5.10' }),
    ).toThrow(/must be "vcpu-id-mapping" or "arm-smp-fix"/)
  })

  it('hot-add through xenstore: cpu 3 is vCPU 3', () => {
    const r = runXenDoc({
      ...pvh('4.19'),
      steps: [{ at: 10, cpu: 0, do: 'vcpu-hot-add', vcpu: 3 }],
    })
    expect(cpusOf(r)[3]).toBe('3:3/online')
    expect(r.checks.every((c) => c.ok)).toBe(true)
  })
})

describe('vCPU hot-add out of order: U32_MAX (4.8) against the real ACPI id (4.11)', () => {
  const doc = (era: '4.8' | '4.11'): XenDoc => ({
    version: '4.8',
    type: 'pvhvm',
    maxVcpus: 4,
    onlineVcpus: 2,
    design: 'vcpu-id-mapping',
    era,
    steps: [
      { at: 10, cpu: 0, do: 'vcpu-hot-add', vcpu: 3 },
      { at: 200, cpu: 0, do: 'vcpu-hot-add', vcpu: 2 },
    ],
  })

  it('4.11: vCPU 3 becomes cpu 2 with id 3 from its ACPI id, then vCPU 2 becomes cpu 3 with id 2', () => {
    const r = runXenDoc(doc('4.11'))
    const ids = ofKind(r, 'vcpu-id').filter((e) => e.cpu >= 2)
    expect(ids.map((e) => [e.cpu, e.vcpu, e.via])).toEqual([
      [2, 3, 'acpi-id'],
      [3, 2, 'acpi-id'],
    ])
    expect(cpusOf(r)).toEqual(['0:0/online', '1:1/online', '2:3/online', '3:2/online'])
  })

  it('4.8: cpu 2 falls back to id 2 while it starts on vCPU 3, and the guest panics', () => {
    const r = runXenDoc(doc('4.8'))
    expect(ofKind(r, 'vcpu-id').find((e) => e.cpu === 2)).toMatchObject({
      vcpu: 2,
      via: 'fallback-cpu',
    })
    expect(r.checks.find((c) => c.id === 'no-bug')?.ok).toBe(false)
  })
})

describe('kdump on vCPU 40 (x86 HVM, 4.19–5.17; fixed by eed05744 in 5.18)', () => {
  const doc = (era: '4.11' | '5.4' | '5.10' | '5.18'): XenDoc => ({
    version: '4.8',
    type: 'pvhvm',
    maxVcpus: 48,
    kdump: 40,
    design: 'vcpu-id-mapping',
    era,
  })

  it('5.4 and 5.10: a NULL dereference in xen_clocksource_read before any hypercall', () => {
    for (const era of ['5.4', '5.10'] as const) {
      const r = runXenDoc(doc(era))
      expect(r.layout.outcome, era).toBe('panicked')
      const [bug] = ofKind(r, 'bug')
      expect(bug!.where).toMatch(
        /^NULL pointer dereference in xen_clocksource_read, from xen_hvm_init_time_ops/,
      )
      expect(bug!.source).toMatch(
        /xen_hvm_init_time_ops \(arch\/x86\/xen\/time\.c, v5\.(4\.214|10\.89)\)/,
      )
      expect(ofKind(r, 'hypercall').filter((e) => e.op === 'VCPUOP_register_vcpu_info')).toEqual([])
    }
  })

  it('5.18 delays the clock, registers vcpu_info for vCPU 40 and boots every CPU', () => {
    const r = runXenDoc(doc('5.18'))
    expect(ofKind(r, 'printk')[0]!.text).toBe(
      'Delay xen_init_time_common() as kernel is running on vcpu=40',
    )
    expect(callsFor(r, 0, ['VCPUOP_register_vcpu_info'])).toEqual([
      'VCPUOP_register_vcpu_info(40)=0',
    ])
    expect(r.details.cpus.filter((c) => c.state === 'online')).toHaveLength(48)
  })

  it('4.11 reads no clock that early: the crash kernel boots (derived)', () => {
    expect(runXenDoc(doc('4.11')).layout.outcome).toBe('booted')
  })
})

describe('vcpu_info beyond 32 vCPUs after a failed VCPUOP_register_vcpu_info', () => {
  const guest = (era: '4.8' | '5.4') => {
    const s = xenScenario({ type: 'pvhvm', maxVcpus: 40, design: 'vcpu-id-mapping', era })
    const g = new Guest(
      {
        s,
        minor: 7,
        kind: 'hvm',
        tree: s.linux.era === '4.8' ? 'v4.8.15' : 'v5.4.214',
        bootVcpu: 0,
      },
      0,
    )
    for (let k = 0; k < 40; k++) g.addCpu(k, { startsOn: k, id: k, idSource: 'acpi-id' })
    g.place(0, 0)
    // vCPU 5's vcpu_info is mapped already: Xen refuses a second registration (-EINVAL before 4.18).
    g.hv.vcpus[5]!.vcpuInfo = 'registered'
    return g
  }

  it('clears placement: later CPUs below 32 read their shared_info slot, CPUs from 32 have none', () => {
    const g = guest('5.4')
    expect(xenVcpuSetup(g, 0, 'boot', 5, 'xen_cpu_up_prepare_hvm')).toBe(-22)
    expect(g.placement).toBe(false)
    expect(ofKind({ events: g.rec.events } as never, 'printk')[0]!.text).toBe(
      'register_vcpu_info failed: cpu=5 err=-22',
    )
    xenVcpuSetup(g, 0, 'boot', 6, 'xen_cpu_up_prepare_hvm')
    xenVcpuSetup(g, 0, 'boot', 33, 'xen_cpu_up_prepare_hvm')
    expect([g.cpus[5]!.vcpuInfoOf, g.cpus[6]!.vcpuInfoOf, g.cpus[33]!.vcpuInfoOf]).toEqual([
      5,
      6,
      null,
    ])
    // No hypercall for cpus 6 and 33: placement is off.
    expect(g.rec.events.filter((e) => e.kind === 'hypercall')).toHaveLength(1)
    expect(g.setupMaxCpus).toBe(Infinity)
  })

  it('before 4.13 the failure clamps the CPUs smp_init brings up to 32 (clamp_max_cpus)', () => {
    const g = guest('4.8')
    xenVcpuSetup(g, 0, 'boot', 5, 'xen_hvm_cpu_notify')
    expect(g.setupMaxCpus).toBe(32)
  })
})

describe('ARM: the vGIC bounds the vCPUs (bc3569b89b, 344214c968)', () => {
  it('GICv2 8, GICv3 min(4096, MAX_VIRT_CPUS 128); Xen 4.5 had only MAX_VIRT_CPUS 8', () => {
    expect(domainMaxVcpus('arm', 8, 'v2')).toBe(8)
    expect(domainMaxVcpus('arm', 8, 'v3')).toBe(128)
    expect(domainMaxVcpus('arm', 5, 'v3')).toBe(8)
  })

  it('16 vCPUs with a GICv2: refused at XEN_DOMCTL_createdomain from 4.12, at XEN_DOMCTL_max_vcpus before', () => {
    const check = (version: string) =>
      runXenDoc({
        version,
        type: 'arm',
        maxVcpus: 16,
        gic: 'v2',
        design: 'arm-smp-fix',
        era: '4.9',
      }).checks.find((c) => c.id === 'domain-buildable')!
    expect(check('4.12')).toMatchObject({ ok: false })
    expect(check('4.12').message).toContain('XEN_DOMCTL_createdomain: -EINVAL above 8')
    expect(check('4.8').message).toContain('XEN_DOMCTL_max_vcpus: -EINVAL above 8')
    const v3 = runXenDoc({
      version: '4.12',
      type: 'arm',
      maxVcpus: 16,
      gic: 'v3',
      design: 'arm-smp-fix',
      era: '4.9',
    })
    expect(v3.checks.find((c) => c.id === 'domain-buildable')?.ok).toBe(true)
    expect(() =>
      xenScenario({ type: 'pvhvm', maxVcpus: 2, gic: 'v2', design: 'vcpu-id-mapping' }),
    ).toThrow(/guest\.gic: applies only to ARM guests/)
  })
})
