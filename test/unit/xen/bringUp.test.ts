/**
 * Whole runs against test vectors (TVn: one stated case from the Linux and Xen sources each): which id each hypercall
 * carries, what Xen answers, in which order, and which CPUs come up.
 */
import { describe, expect, it } from 'vitest'
import { callsFor, check, find, hypercalls, ofKind, runXenDoc, U32_MAX } from './support'

const REGISTER = 'VCPUOP_register_vcpu_info'

describe('PVHVM', () => {
  it('TV1: 4 vCPUs, normal boot: id[0] = 0 from CPUID, cpu k ↔ vCPU k ↔ ACPI k ↔ APIC 2k, every call for cpu 2 carries 2 and returns 0', () => {
    const r = runXenDoc({ type: 'pvhvm', maxVcpus: 4, design: 'vcpu-id-mapping' })
    expect(ofKind(r, 'vcpu-id')[0]).toMatchObject({ cpu: 0, vcpu: 0, via: 'cpuid' })
    expect(r.details.cpus.slice(0, 4)).toEqual(
      [0, 1, 2, 3].map((k) => ({
        cpu: k,
        vcpu: k,
        acpiId: k,
        apicId: 2 * k,
        state: 'online',
        reason: null,
      })),
    )
    const two = hypercalls(r).filter((e) => e.forCpu === 2 && e.vcpu !== null)
    expect(two.length).toBeGreaterThanOrEqual(11)
    expect(new Set(two.map((e) => `${e.vcpu}=${e.rc}`))).toEqual(new Set(['2=0']))
    expect(r.checks.every((c) => c.ok)).toBe(true)
  })

  it('without nr_cpus, Xen 4.7 hvmloader writes 15 MADT entries: "Allowing 15 CPUs, 11 hotplug CPUs", cpus 4-14 possible, not present; 4.8 libacpi writes 4', () => {
    const r = runXenDoc({ type: 'pvhvm', maxVcpus: 4, design: 'vcpu-id-mapping' })
    expect(r.scenario.guest.nrCpus).toBe(15)
    const hotplug = r.details.cpus.slice(4)
    expect(hotplug.map((c) => c.cpu)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14])
    for (const c of hotplug) {
      expect(c).toMatchObject({ vcpu: null, state: 'offline' })
      expect(c.reason).toBe(
        'hotplug CPU: possible, not present (Allowing 15 CPUs, 11 hotplug CPUs; a disabled MADT entry)',
      )
    }
    expect(r.layout.cpus).toHaveLength(15)
    // no hypercall is made for a CPU that is not present
    expect(hypercalls(r).some((e) => e.forCpu >= 4)).toBe(false)
    const newer = runXenDoc({
      version: '4.8',
      type: 'pvhvm',
      maxVcpus: 4,
      design: 'vcpu-id-mapping',
    })
    expect(newer.details.cpus.map((c) => c.state)).toEqual(['online', 'online', 'online', 'online'])
  })

  it('TV2: kdump on vCPU 2 with the mapping: id[0] = 2 and register_vcpu_info, init_control, bind_virq TIMER, runstate, set_singleshot all name 2 and return 0', () => {
    const r = runXenDoc({
      type: 'pvhvm',
      maxVcpus: 4,
      nrCpus: 1,
      kdump: 2,
      design: 'vcpu-id-mapping',
    })
    expect(ofKind(r, 'soft-reset')[0]).toMatchObject({ crashedVcpu: 2, downVcpus: [0, 1, 3] })
    expect(
      callsFor(r, 0, [
        REGISTER,
        'EVTCHNOP_init_control',
        'EVTCHNOP_bind_virq',
        'VCPUOP_register_runstate_memory_area',
        'VCPUOP_set_singleshot_timer',
      ]),
    ).toEqual([
      `${REGISTER}(2)=0`,
      'EVTCHNOP_init_control(2)=0',
      'VCPUOP_register_runstate_memory_area(2)=0',
      'EVTCHNOP_bind_virq:VIRQ_TIMER(2)=0',
      'VCPUOP_set_singleshot_timer(2)=0',
      'EVTCHNOP_bind_virq:VIRQ_DEBUG(2)=0',
    ])
    expect(hypercalls(r).every((e) => e.onVcpu === 2)).toBe(true)
    expect(r.details.cpus).toEqual([
      { cpu: 0, vcpu: 2, acpiId: 2, apicId: 4, state: 'online', reason: null },
    ])
    expect(r.layout.outcome).toBe('booted')
    expect(r.layout.eventChannels.effective).toBe('fifo') // back on 2-level after the reset, then FIFO again
  })

  it('TV3: the same crash kernel without the mapping: stop_periodic(0), init_control(0), bind_virq(TIMER, 0) return 0, set_singleshot(0) is -EINVAL and BUG_ONs (derived)', () => {
    const r = runXenDoc({ type: 'pvhvm', maxVcpus: 4, nrCpus: 1, kdump: 2, design: 'raw-cpu' })
    expect(find(r, (e) => e.op === 'VCPUOP_stop_periodic_timer')).toMatchObject({
      vcpu: 0,
      rc: 0,
      onVcpu: 2,
    })
    expect(find(r, (e) => e.op === 'EVTCHNOP_init_control')).toMatchObject({ vcpu: 0, rc: 0 })
    expect(find(r, (e) => e.op === 'EVTCHNOP_bind_virq')).toMatchObject({
      vcpu: 0,
      rc: 0,
      what: 'VIRQ_TIMER',
    })
    const shot = find(r, (e) => e.op === 'VCPUOP_set_singleshot_timer')
    expect(shot).toMatchObject({
      vcpu: 0,
      onVcpu: 2,
      rc: -22,
      errno: 'EINVAL',
      confidence: 'derived',
    })
    // pre-4.8 HVM never registered a vcpu_info for the boot CPU
    expect(hypercalls(r).some((e) => e.op === REGISTER)).toBe(false)
    expect(r.details.cpus[0]).toMatchObject({
      cpu: 0,
      vcpu: 2,
      state: 'failed',
      reason: 'BUG_ON in xen_vcpuop_set_next_event (VCPUOP_set_singleshot_timer -EINVAL)',
    })
    expect(ofKind(r, 'bug')[0]).toMatchObject({ cpu: 0, panic: true, confidence: 'derived' })
    expect(r.layout.outcome).toBe('panicked')
    const bound = check(r, 'no-event-bound-to-down-vcpu')
    expect(bound.ok).toBe(false)
    expect(bound.message).toContain("cpu 0's VIRQ_TIMER")
    expect(check(r, 'hypercall-targets-own-vcpu').ok).toBe(false)
  })

  it('TV4: kdump on vCPU 2 with nr_cpus = 4: ids 0→2, 1→0, 2→1, 3→3, and register_vcpu_info(0) from vCPU 2 returns 0 (vCPU 0 is down)', () => {
    const r = runXenDoc({
      type: 'pvhvm',
      maxVcpus: 4,
      nrCpus: 4,
      kdump: 2,
      design: 'vcpu-id-mapping',
    })
    expect(r.layout.cpus.map((c) => [c.cpu, c.apicId, c.vcpuId, c.vcpu])).toEqual([
      [0, 4, 2, 2],
      [1, 0, 0, 0],
      [2, 2, 1, 1],
      [3, 6, 3, 3],
    ])
    expect(find(r, (e) => e.op === REGISTER && e.forCpu === 1)).toMatchObject({
      vcpu: 0,
      onVcpu: 2,
      side: 'boot',
      rc: 0,
    })
    expect(r.details.cpus.every((c) => c.state === 'online')).toBe(true)
    expect(check(r, 'hypercall-targets-own-vcpu').ok).toBe(true)
  })

  it('TV5 (the 4.8/4.9 part): a crash on vCPU 33 has no shared_info slot for cpu 0 until register_vcpu_info(33), which succeeds', () => {
    const r = runXenDoc({
      type: 'pvhvm',
      maxVcpus: 40,
      nrCpus: 1,
      kdump: 33,
      design: 'vcpu-id-mapping',
    })
    expect(find(r, (e) => e.op === REGISTER)).toMatchObject({ vcpu: 33, rc: 0 })
    expect(r.layout.cpus[0]).toMatchObject({ vcpuId: 33, readsVcpuInfoOf: 33, state: 'online' })
    expect(r.layout.vcpus[33]?.vcpuInfo).toBe('registered')
  })

  it('TV21: cpu 3 on Linux 4.8: register, bind_virq TIMER, init_control, the IPI/DEBUG binds on the boot side, INIT/SIPI, SPINLOCK, then runstate, stop_periodic, set_singleshot on cpu 3', () => {
    const r = runXenDoc({ type: 'pvhvm', maxVcpus: 4, design: 'vcpu-id-mapping', era: '4.8' })
    const seq = r.events
      .filter(
        (e) =>
          (e.kind === 'hypercall' && e.forCpu === 3) ||
          (e.kind === 'ap-start' && e.to === 3) ||
          (e.kind === 'vcpu-id' && e.cpu === 3),
      )
      .map((e) =>
        e.kind === 'hypercall'
          ? `${e.side}:${e.op}${e.what ? `:${e.what}` : ''}(${e.vcpu})`
          : e.kind === 'ap-start'
            ? `${e.method}(APIC ${e.apicId})`
            : e.kind === 'vcpu-id'
              ? `id=${e.vcpu}`
              : e.kind,
      )
    expect(seq).toEqual([
      'id=3',
      `boot:${REGISTER}(3)`,
      'boot:EVTCHNOP_bind_virq:VIRQ_TIMER(3)',
      'boot:EVTCHNOP_init_control(3)',
      'boot:EVTCHNOP_bind_ipi:RESCHEDULE(3)',
      'boot:EVTCHNOP_bind_ipi:CALL_FUNCTION(3)',
      'boot:EVTCHNOP_bind_virq:VIRQ_DEBUG(3)',
      'boot:EVTCHNOP_bind_ipi:CALL_FUNCTION_SINGLE(3)',
      'INIT/SIPI(APIC 6)',
      'boot:EVTCHNOP_bind_ipi:SPINLOCK(3)',
      'starting:VCPUOP_register_runstate_memory_area(3)',
      'starting:VCPUOP_stop_periodic_timer(3)',
      'starting:VCPUOP_set_singleshot_timer(3)',
    ])
  })

  it('TV22: cpu 3 on Linux 4.9: CPUHP_XEN_PREPARE (id, register, TIMER, IPI/DEBUG binds), then init_control, INIT/SIPI, the AP timers, SPINLOCK on the AP', () => {
    const r = runXenDoc({ type: 'pvhvm', maxVcpus: 4, design: 'vcpu-id-mapping', era: '4.9' })
    expect(callsFor(r, 3).map((s) => s.replace(/\(3\)=0$/, ''))).toEqual([
      REGISTER,
      'EVTCHNOP_bind_virq:VIRQ_TIMER',
      'EVTCHNOP_bind_ipi:RESCHEDULE',
      'EVTCHNOP_bind_ipi:CALL_FUNCTION',
      'EVTCHNOP_bind_virq:VIRQ_DEBUG',
      'EVTCHNOP_bind_ipi:CALL_FUNCTION_SINGLE',
      'EVTCHNOP_init_control',
      'VCPUOP_register_runstate_memory_area',
      'VCPUOP_stop_periodic_timer',
      'VCPUOP_set_singleshot_timer',
      'EVTCHNOP_bind_ipi:SPINLOCK',
    ])
    expect(find(r, (e) => e.forCpu === 3 && e.what === 'SPINLOCK')).toMatchObject({
      side: 'starting',
      cpu: 3,
      onVcpu: 3,
    })
    const sipi = ofKind(r, 'ap-start').find((e) => e.to === 3)!
    expect(sipi.at).toBeGreaterThan(
      find(r, (e) => e.forCpu === 3 && e.op === 'EVTCHNOP_init_control').at,
    )
  })

  it('TV23 (4.8/4.9 reading, derived): a PVHVM secondary holds the boot vCPU id before its prepare step', () => {
    const r = runXenDoc({
      type: 'pvhvm',
      maxVcpus: 4,
      nrCpus: 2,
      kdump: 2,
      design: 'vcpu-id-mapping',
    })
    expect(r.scenario.linux.idBeforeSet).toBe('boot-id')
    expect(r.layout.idBeforeSet).toEqual({ kind: 'boot-id', value: 2, read: false })
  })

  it('TV24: Xen 4.5 without the CPUID flag: id[0] = smp_processor_id() = 0', () => {
    const r = runXenDoc({ version: '4.5', type: 'pvhvm', maxVcpus: 2, design: 'vcpu-id-mapping' })
    expect(ofKind(r, 'vcpu-id')[0]).toMatchObject({ cpu: 0, vcpu: 0, via: 'smp-processor-id' })
  })

  it('kdump needs the soft reset of Xen 4.7 (1a043f9dc7): on 4.6 no crash kernel starts', () => {
    const r = runXenDoc({
      version: '4.6',
      type: 'pvhvm',
      maxVcpus: 4,
      kdump: 2,
      design: 'vcpu-id-mapping',
    })
    expect(ofKind(r, 'soft-reset')[0]).toMatchObject({ supported: false })
    expect(hypercalls(r)).toEqual([])
    expect(r.layout.outcome).toBe('not-started')
    expect(r.details.cpus[0]?.reason).toMatch(/^no soft reset before Xen 4\.7/)
  })

  it('TV26 (derived): vCPU 3 hot-added before vCPU 2 on Linux 4.8 becomes cpu 2 with id 2 on vCPU 3; set_singleshot(2) from vCPU 3 is -EINVAL and BUG_ONs', () => {
    const r = runXenDoc({
      type: 'pvhvm',
      maxVcpus: 4,
      onlineVcpus: 2,
      design: 'vcpu-id-mapping',
      era: '4.8',
      steps: [{ at: 10, cpu: 0, do: 'vcpu-hot-add', vcpu: 3 }],
    })
    expect(r.details.cpus[2]).toEqual({
      cpu: 2,
      vcpu: 3,
      acpiId: U32_MAX,
      apicId: 6,
      state: 'failed',
      reason: 'BUG_ON in xen_vcpuop_set_next_event (VCPUOP_set_singleshot_timer -EINVAL)',
    })
    expect(find(r, (e) => e.op === REGISTER && e.forCpu === 2)).toMatchObject({
      vcpu: 2,
      rc: 0,
      side: 'boot',
    })
    expect(find(r, (e) => e.op === 'VCPUOP_set_singleshot_timer' && e.forCpu === 2)).toMatchObject({
      vcpu: 2,
      onVcpu: 3,
      rc: -22,
    })
    expect(ofKind(r, 'vcpu-id').find((e) => e.cpu === 2)).toMatchObject({
      vcpu: 2,
      via: 'fallback-cpu',
      confidence: 'derived',
    })
  })

  it('TV26 on Linux 4.9: the disabled MADT entry numbered vCPU 3 as cpu 3 at boot, so the hot-add comes up on the right id', () => {
    const r = runXenDoc({
      type: 'pvhvm',
      maxVcpus: 4,
      onlineVcpus: 2,
      design: 'vcpu-id-mapping',
      era: '4.9',
      steps: [{ at: 10, cpu: 0, do: 'vcpu-hot-add', vcpu: 3 }],
    })
    expect(r.details.cpus[3]).toMatchObject({ cpu: 3, vcpu: 3, state: 'online' })
    expect(r.details.cpus[2]).toMatchObject({ cpu: 2, vcpu: null, state: 'offline' })
    expect(check(r, 'hypercall-targets-own-vcpu').ok).toBe(true)
  })
})

describe('ARM', () => {
  it('TV6: 88e957d6 with id -1: init_control(vcpu=0xFFFFFFFF) for cpu 1 is -ENOENT, cpu 1 fails at CPU_UP_PREPARE, no register_vcpu_info for vCPU 1', () => {
    const r = runXenDoc({
      type: 'arm',
      maxVcpus: 2,
      design: 'vcpu-id-mapping',
      idBeforeSet: 'minus-one',
    })
    expect(find(r, (e) => e.forCpu === 1 && e.op === 'EVTCHNOP_init_control')).toMatchObject({
      vcpu: U32_MAX,
      rc: -2,
      errno: 'ENOENT',
      side: 'boot',
      cpu: 0,
      confidence: 'derived',
    })
    expect(r.details.cpus[1]).toEqual({
      cpu: 1,
      vcpu: null,
      acpiId: null,
      apicId: null,
      state: 'failed',
      reason: 'init_control -ENOENT at CPU_UP_PREPARE',
    })
    expect(
      hypercalls(r)
        .filter((e) => e.op === REGISTER)
        .map((e) => e.vcpu),
    ).toEqual([0])
    expect(r.metrics.cpusOnline?.value).toBe(1)
    expect(r.layout.cpus[1]?.failedCall).toMatchObject({
      op: 'EVTCHNOP_init_control',
      vcpu: U32_MAX,
      errno: 'ENOENT',
    })
    expect(r.layout.idBeforeSet).toEqual({ kind: 'minus-one', value: U32_MAX, read: true })
    // cpu 1 never ran: the check says where it was to start, not where it "runs"
    expect(check(r, 'hypercall-targets-own-vcpu').message).toBe(
      '1 hypercall(s) name another vCPU: EVTCHNOP_init_control(4294967295) for cpu 1, which was to start on vCPU 1',
    )
  })

  it('TV7: with the id already uint32 (0 before set): init_control(vcpu=0) is -EINVAL (vCPU 0 has its block); cpu 1 fails the same way', () => {
    const r = runXenDoc({
      type: 'arm',
      maxVcpus: 2,
      design: 'vcpu-id-mapping',
      idBeforeSet: 'zero',
    })
    expect(find(r, (e) => e.forCpu === 1 && e.op === 'EVTCHNOP_init_control')).toMatchObject({
      vcpu: 0,
      rc: -22,
      errno: 'EINVAL',
    })
    expect(r.details.cpus[1]?.reason).toBe('init_control -EINVAL at CPU_UP_PREPARE')
  })

  it('TV23 on ARM: an id of U32_MAX before it is set gets -ENOENT like -1', () => {
    const r = runXenDoc({
      type: 'arm',
      maxVcpus: 2,
      design: 'vcpu-id-mapping',
      idBeforeSet: 'u32-max',
    })
    expect(find(r, (e) => e.forCpu === 1 && e.op === 'EVTCHNOP_init_control')).toMatchObject({
      vcpu: U32_MAX,
      rc: -2,
    })
  })

  it('TV8: with de75abbe, xen_guest_init maps 0→0 and 1→1; init_control(1) = 0, PSCI CPU_ON(MPIDR Aff0 = 1), then register_vcpu_info(1) and runstate(1) on cpu 1', () => {
    const r = runXenDoc({ type: 'arm', maxVcpus: 2, design: 'arm-smp-fix' })
    expect(ofKind(r, 'vcpu-id').map((e) => [e.cpu, e.vcpu, e.via])).toEqual([
      [0, 0, 'direct'],
      [1, 1, 'direct'],
    ])
    const seq = r.events
      .filter((e) => (e.kind === 'hypercall' && e.forCpu === 1) || e.kind === 'ap-start')
      .map((e) =>
        e.kind === 'hypercall'
          ? `${e.side}:${e.op}(${e.vcpu})=${e.rc}`
          : e.kind === 'ap-start'
            ? `${e.method}(${e.mpidr! & 0xff})`
            : e.kind,
      )
    expect(seq).toEqual([
      'boot:EVTCHNOP_init_control(1)=0',
      'PSCI CPU_ON(1)',
      `starting:${REGISTER}(1)=0`,
      'starting:VCPUOP_register_runstate_memory_area(1)=0',
    ])
    expect(r.details.cpus.map((c) => c.state)).toEqual(['online', 'online'])
  })

  it('TV9: 88e957d6 with 2-level events: no prepare-time hypercall; cpu 1 sets id 1 and register_vcpu_info(1) = 0 (derived)', () => {
    const r = runXenDoc({
      type: 'arm',
      maxVcpus: 2,
      eventChannels: '2l',
      design: 'vcpu-id-mapping',
    })
    expect(hypercalls(r).some((e) => e.op === 'EVTCHNOP_init_control')).toBe(false)
    expect(callsFor(r, 1)).toEqual([
      `${REGISTER}(1)=0`,
      'VCPUOP_register_runstate_memory_area(1)=0',
    ])
    expect(ofKind(r, 'vcpu-id').find((e) => e.cpu === 1)).toMatchObject({
      vcpu: 1,
      confidence: 'derived',
    })
    expect(r.details.cpus[1]?.state).toBe('online')
  })

  it('ARM proposals: (a) the starting CPU issues init_control itself after reading its MPIDR; (b) ids from the device tree before any CPU starts', () => {
    const a = runXenDoc({ type: 'arm', maxVcpus: 4, design: 'starting-cpu-hypercalls' })
    expect(find(a, (e) => e.forCpu === 3 && e.op === 'EVTCHNOP_init_control')).toMatchObject({
      side: 'starting',
      vcpu: 3,
      rc: 0,
      confidence: 'model',
    })
    expect(a.details.cpus.every((c) => c.state === 'online')).toBe(true)
    const b = runXenDoc({ type: 'arm', maxVcpus: 4, design: 'firmware-ids' })
    expect(ofKind(b, 'vcpu-id').map((e) => `${e.cpu}:${e.vcpu}:${e.via}:${e.at}`)).toEqual([
      '0:0:mpidr:0',
      '1:1:mpidr:0',
      '2:2:mpidr:0',
      '3:3:mpidr:0',
    ])
    expect(find(b, (e) => e.forCpu === 3 && e.op === 'EVTCHNOP_init_control')).toMatchObject({
      side: 'boot',
      vcpu: 3,
      rc: 0,
    })
  })
})

describe('PV', () => {
  it('TV11: 4 vCPUs with nr_cpu_ids = 8: is_up(0..3) return 1 or 0, is_up(4..7) -ENOENT, possible = {0..3}; initialise(1) and up(1) return 0', () => {
    const r = runXenDoc({ type: 'pv', maxVcpus: 4, nrCpus: 8, design: 'vcpu-id-mapping' })
    expect(
      hypercalls(r)
        .filter((e) => e.op === 'VCPUOP_is_up')
        .slice(0, 8)
        .map((e) => `${e.vcpu}=${e.errno ?? e.rc}`),
    ).toEqual(['0=1', '1=0', '2=0', '3=0', '4=ENOENT', '5=ENOENT', '6=ENOENT', '7=ENOENT'])
    expect(r.details.cpus.map((c) => c.cpu)).toEqual([0, 1, 2, 3])
    expect(find(r, (e) => e.op === 'VCPUOP_initialise' && e.forCpu === 1)).toMatchObject({
      vcpu: 1,
      rc: 0,
    })
    expect(find(r, (e) => e.op === 'VCPUOP_up' && e.forCpu === 1)).toMatchObject({ vcpu: 1, rc: 0 })
    expect(r.layout.cpus.every((c) => c.vcpuId === c.cpu && c.vcpu === c.cpu)).toBe(true)
  })

  it('TV12: offline then online cpu 1: VCPUOP_down(1) on cpu 1, is_up(1) polled until 0; no second initialise or init_control; up(1) = 0', () => {
    const r = runXenDoc({
      type: 'pv',
      maxVcpus: 4,
      design: 'vcpu-id-mapping',
      steps: [
        { at: 10, cpu: 1, do: 'offline' },
        { at: 100, cpu: 1, do: 'online' },
      ],
    })
    const after = hypercalls(r).filter((e) => e.at >= r.layout.bootEnd && e.forCpu === 1)
    const down = after.find((e) => e.op === 'VCPUOP_down')!
    expect(down).toMatchObject({ cpu: 1, onVcpu: 1, vcpu: 1, rc: 0 })
    const polls = after.filter((e) => e.op === 'VCPUOP_is_up').map((e) => e.rc)
    expect(polls).toEqual([1, 0])
    expect(
      after.filter((e) => e.op === 'VCPUOP_initialise' || e.op === 'EVTCHNOP_init_control'),
    ).toEqual([])
    expect(after.filter((e) => e.op === 'VCPUOP_up').map((e) => e.rc)).toEqual([0])
    expect(r.details.cpus[1]?.state).toBe('online')
  })

  it('xen_setup_vcpu_info_placement registers a vcpu_info for every possible CPU from cpu 0 at boot', () => {
    const r = runXenDoc({ type: 'pv', maxVcpus: 3, design: 'vcpu-id-mapping' })
    expect(
      hypercalls(r)
        .filter((e) => e.op === REGISTER)
        .map((e) => [e.cpu, e.vcpu, e.side, e.rc]),
    ).toEqual([
      [0, 0, 'self', 0],
      [0, 1, 'boot', 0],
      [0, 2, 'boot', 0],
    ])
  })

  it('vCPUs whose xenstore availability is offline are taken down after boot (setup_cpu_watcher)', () => {
    const r = runXenDoc({ type: 'pv', maxVcpus: 4, onlineVcpus: 2, design: 'vcpu-id-mapping' })
    expect(r.details.cpus.map((c) => c.state)).toEqual(['online', 'online', 'offline', 'offline'])
    expect(r.details.cpus[3]?.reason).toBe(
      'xenstore cpu/3/availability is "offline" (setup_cpu_watcher)',
    )
    expect(check(r, 'expected-cpus-online').ok).toBe(true)
  })

  it('TV25 (f87e4cac, 2007): is_up over NR_CPUS; cpu 1: bind_virq(TIMER, 1), runstate(1), initialise(1), bind_ipi RESCHEDULE and CALL_FUNCTION, up(1); the source issues no register_vcpu_info', () => {
    const r = runXenDoc({ type: 'pv', maxVcpus: 2, nrCpus: 4, design: 'raw-cpu' })
    expect(
      hypercalls(r)
        .filter((e) => e.op === 'VCPUOP_is_up')
        .map((e) => e.vcpu),
    ).toEqual([0, 1, 2, 3])
    expect(callsFor(r, 1).filter((s) => !s.startsWith('VCPUOP_is_up'))).toEqual([
      'EVTCHNOP_bind_virq:VIRQ_TIMER(1)=0',
      'VCPUOP_register_runstate_memory_area(1)=0',
      'VCPUOP_initialise(1)=0',
      'EVTCHNOP_bind_ipi:RESCHEDULE(1)=0',
      'EVTCHNOP_bind_ipi:CALL_FUNCTION(1)=0',
      'VCPUOP_up(1)=0',
      'VCPUOP_stop_periodic_timer(1)=0',
      'VCPUOP_set_singleshot_timer(1)=0',
    ])
    expect(hypercalls(r).some((e) => e.op === REGISTER)).toBe(false)
    expect(r.layout.linuxCode).toMatch(/^f87e4cac/)
    expect(r.layout.eventChannels).toMatchObject({ requested: 'fifo', effective: '2l' })
  })

  it('TV14 in a run: the 2007 code bringing up vCPU 40 (no vcpu_info: it never registers one) gets -EINVAL from VCPUOP_initialise and BUG()s', () => {
    const r = runXenDoc({ type: 'pv', maxVcpus: 41, design: 'raw-cpu' })
    expect(find(r, (e) => e.op === 'VCPUOP_initialise' && e.forCpu === 32)).toMatchObject({
      vcpu: 32,
      rc: -22,
    })
    expect(r.details.cpus[32]).toMatchObject({
      state: 'failed',
      reason: 'BUG() in cpu_initialize_context (VCPUOP_initialise -EINVAL)',
    })
    expect(r.layout.outcome).toBe('panicked')
  })
})
