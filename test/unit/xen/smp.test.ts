/**
 * The SMP operations of "xen: SMP guest support" (f87e4cac) and their v4.8 successors: IPIs over
 * event channels, smp_call_function, stop, exit-mmap and the lazy-TLB unpin, IRQ affinity
 * (arch/i386/xen/smp.c @f87e4cac; arch/x86/xen/smp.c and kernel/smp.c at v4.8.15). TVn names a test
 * vector: one stated case with its expected answer.
 */
import { describe, expect, it } from 'vitest'
import { check, find, hypercalls, ofKind, runXenDoc } from './support'

const pv2007 = (maxVcpus: number, steps: unknown[], until?: number) =>
  runXenDoc({ type: 'pv', maxVcpus, design: 'raw-cpu', steps, ...(until ? { until } : {}) })

describe('IPIs over event channels', () => {
  it("send-ipi raises the target CPU's RESCHEDULE port with EVTCHNOP_send; the event reaches the vCPU the port is bound to", () => {
    const r = pv2007(2, [{ at: 5, cpu: 0, do: 'send-ipi', target: 1, vector: 'reschedule' }])
    const ipi = ofKind(r, 'ipi')[0]!
    const bind = find(
      r,
      (e) => e.op === 'EVTCHNOP_bind_ipi' && e.forCpu === 1 && e.what === 'RESCHEDULE',
    )
    expect(ipi).toMatchObject({
      from: 0,
      to: 1,
      vector: 'reschedule',
      port: bind.port,
      boundVcpu: 1,
      deliveredToCpu: 1,
      outcome: 'delivered',
    })
    expect(find(r, (e) => e.op === 'EVTCHNOP_send')).toMatchObject({
      cpu: 0,
      port: bind.port,
      rc: 0,
      vcpu: null,
    })
    expect(ipi.arrivedAt).toBeGreaterThan(ipi.at)
    const track = r.timeline.tracks.find((t) => t.id === 'vcpu1')!
    expect(track.spans.find((s) => s.state === 'handler')).toMatchObject({
      start: ipi.arrivedAt,
      label: 'reschedule from cpu 0',
    })
  })

  it('kdump: with the mapping cpu 0 bound its ports to vCPU 2, so an IPI from cpu 1 (on vCPU 0) reaches it', () => {
    const r = runXenDoc({
      type: 'pvhvm',
      maxVcpus: 4,
      nrCpus: 2,
      kdump: 2,
      design: 'vcpu-id-mapping',
      steps: [{ at: 5, cpu: 1, do: 'send-ipi', target: 0, vector: 'reschedule' }],
    })
    expect(ofKind(r, 'ipi')[0]).toMatchObject({
      from: 1,
      to: 0,
      boundVcpu: 2,
      deliveredToCpu: 0,
      outcome: 'delivered',
    })
    expect(check(r, 'ipi-reaches-target').ok).toBe(true)
  })

  it('kdump without the mapping: the crash kernel dies before any IPI is bound, so the IPI step never runs', () => {
    const r = runXenDoc({
      type: 'pvhvm',
      maxVcpus: 4,
      nrCpus: 2,
      kdump: 2,
      design: 'raw-cpu',
      steps: [{ at: 5, cpu: 1, do: 'send-ipi', target: 0, vector: 'reschedule' }],
    })
    expect(ofKind(r, 'ipi')).toEqual([])
    expect(hypercalls(r).some((e) => e.op === 'EVTCHNOP_bind_ipi')).toBe(false)
    expect(ofKind(r, 'step')[0]).toMatchObject({ outcome: 'skipped' })
  })

  it('an IPI to a CPU whose vCPU is down stays pending: lost, with the cause', () => {
    const r = pv2007(2, [
      { at: 5, cpu: 0, do: 'stop-others' },
      { at: 40, cpu: 0, do: 'send-ipi', target: 1, vector: 'reschedule' },
    ])
    const ipi = ofKind(r, 'ipi').at(-1)!
    expect(ipi).toMatchObject({
      to: 1,
      boundVcpu: 1,
      deliveredToCpu: null,
      outcome: 'lost',
      cause: 'bound to vCPU 1, which is down: the event stays pending',
    })
    expect(check(r, 'ipi-reaches-target').ok).toBe(false)
  })

  it('an IPI to a CPU with no port BUG_ONs in xen_send_IPI_one on the sender (not sent)', () => {
    const r = runXenDoc({
      type: 'pv',
      maxVcpus: 4,
      onlineVcpus: 2,
      design: 'vcpu-id-mapping',
      steps: [{ at: 5, cpu: 0, do: 'send-ipi', target: 3, vector: 'reschedule' }],
    })
    expect(ofKind(r, 'ipi')[0]).toMatchObject({ to: 3, outcome: 'not-sent', port: null })
    expect(ofKind(r, 'bug')[0]).toMatchObject({
      cpu: 0,
      panic: false,
      where: 'BUG_ON(irq < 0) in xen_send_IPI_one (cpu 3 has no RESCHEDULE port)',
    })
  })

  it('IRQ affinity: EVTCHNOP_bind_vcpu on an IPI or timer port is -EINVAL and Linux leaves the binding where it was', () => {
    const r = runXenDoc({
      type: 'pvhvm',
      maxVcpus: 2,
      design: 'vcpu-id-mapping',
      steps: [
        { at: 5, cpu: 0, do: 'set-affinity', irq: 'reschedule', target: 1 },
        { at: 10, cpu: 0, do: 'set-affinity', irq: 'timer', target: 1 },
        { at: 20, cpu: 1, do: 'send-ipi', target: 0, vector: 'reschedule' },
      ],
    })
    expect(
      hypercalls(r)
        .filter((e) => e.op === 'EVTCHNOP_bind_vcpu')
        .map((e) => [e.what, e.vcpu, e.errno]),
    ).toEqual([
      ['RESCHEDULE', 1, 'EINVAL'],
      ['VIRQ_TIMER', 1, 'EINVAL'],
    ])
    expect(ofKind(r, 'ipi')[0]).toMatchObject({ to: 0, deliveredToCpu: 0, outcome: 'delivered' })
  })

  it('ARM IPIs are GIC SGIs: no event channel, they reach the CPU they name', () => {
    const r = runXenDoc({
      type: 'arm',
      maxVcpus: 2,
      design: 'arm-smp-fix',
      steps: [{ at: 5, cpu: 1, do: 'send-ipi', target: 0, vector: 'call-function' }],
    })
    expect(ofKind(r, 'ipi')[0]).toMatchObject({
      port: null,
      deliveredToCpu: 0,
      outcome: 'delivered',
    })
    expect(hypercalls(r).some((e) => e.op === 'EVTCHNOP_send')).toBe(false)
  })
})

describe('smp_call_function', () => {
  it('TV25: the 2007 call with wait = 1 to cpu 1 finishes when started == 1 and finished == 1, after SCHEDOP_yield', () => {
    const r = pv2007(2, [{ at: 10, cpu: 0, do: 'call-function', targets: [0, 1], wait: true }])
    const call = ofKind(r, 'call-function')[0]!
    expect(call).toMatchObject({
      from: 0,
      targets: [1],
      wait: true,
      started: 1,
      finished: 1,
      hung: false,
      missing: [],
      ranOn: [1],
    })
    const yieldAt = find(r, (e) => e.op === 'SCHEDOP_yield' && e.at >= call.at).at
    expect(call.doneAt).toBeGreaterThan(yieldAt)
    const spin = r.timeline.tracks[0]!.spans.find((s) => s.state === 'spinning')!
    expect(spin.end).toBe(call.doneAt)
  })

  it('the 2007 call to no other CPU returns at once without call_data (the caller is removed from the mask)', () => {
    const r = pv2007(2, [{ at: 10, cpu: 0, do: 'call-function', targets: [0], wait: true }])
    expect(ofKind(r, 'call-function')).toEqual([])
    expect(ofKind(r, 'ipi')).toEqual([])
  })

  it('a target that never gets the IPI leaves the caller spinning: the run completes and reports the hang with the CPU missing', () => {
    const r = runXenDoc({
      type: 'pv',
      maxVcpus: 3,
      design: 'raw-cpu',
      until: 300,
      steps: [
        { at: 10, cpu: 0, do: 'stop-others' },
        { at: 50, cpu: 0, do: 'call-function', targets: [1, 2], wait: true },
        { at: 100, cpu: 0, do: 'send-ipi', target: 1, vector: 'reschedule' },
      ],
    })
    const call = ofKind(r, 'call-function').at(-1)!
    expect(call).toMatchObject({
      func: 'function',
      started: 0,
      finished: 0,
      doneAt: null,
      hung: true,
      missing: [1, 2],
    })
    const c = check(r, 'call-function-completes')
    expect(c.ok).toBe(false)
    expect(c.message).toContain('hangs in smp_call_function')
    expect(c.message).toContain('never ran on cpu 1, 2')
    expect(ofKind(r, 'step').at(-1)).toMatchObject({ step: 2, outcome: 'skipped' })
    expect(r.run.stoppedBy).toBe('drained')
    expect(r.timeline.end).toBe(r.layout.bootEnd + 300)
    expect(r.timeline.tracks[0]!.spans.at(-1)).toMatchObject({
      state: 'spinning',
      end: r.timeline.end,
    })
    expect(r.metrics.callFunctionsHung?.value).toBe(1)
  })

  it('2007: a second caller spins on call_lock while the first never returns, and the check says so', () => {
    const r = runXenDoc({
      type: 'pv',
      maxVcpus: 3,
      nrCpus: 6,
      design: 'raw-cpu',
      steps: [
        { at: 5, cpu: 0, do: 'call-function', targets: [5] },
        { at: 10, cpu: 1, do: 'call-function', targets: [2] },
      ],
    })
    expect(ofKind(r, 'call-function')).toHaveLength(1)
    expect(ofKind(r, 'call-function')[0]).toMatchObject({
      from: 0,
      targets: [5],
      hung: true,
      missing: [5],
    })
    expect(check(r, 'call-function-completes').message).toMatch(
      /cpu 1 spins on call_lock since tick \d+$/,
    )
  })

  it('generic smp_call_function_many (v4.8): offline targets are skipped; one target uses CALL_FUNCTION_SINGLE', () => {
    const r = runXenDoc({
      type: 'pv',
      maxVcpus: 4,
      onlineVcpus: 3,
      design: 'vcpu-id-mapping',
      steps: [
        { at: 10, cpu: 0, do: 'call-function', targets: [1, 2, 3], wait: true },
        { at: 60, cpu: 0, do: 'call-function', targets: [2], wait: true },
      ],
    })
    const [many, single] = ofKind(r, 'call-function')
    expect(many).toMatchObject({ targets: [1, 2], started: 2, finished: 2, hung: false })
    expect(single).toMatchObject({ targets: [2], finished: 1 })
    expect(ofKind(r, 'ipi').map((e) => e.vector)).toEqual([
      'call-function',
      'call-function',
      'call-function-single',
    ])
  })

  it('generic call without wait returns once the IPIs are sent', () => {
    const r = runXenDoc({
      type: 'pvhvm',
      maxVcpus: 3,
      design: 'vcpu-id-mapping',
      steps: [{ at: 10, cpu: 0, do: 'call-function', targets: [1, 2], wait: false }],
    })
    const call = ofKind(r, 'call-function')[0]!
    const lastSend = hypercalls(r)
      .filter((e) => e.op === 'EVTCHNOP_send')
      .at(-1)!
    expect(call.doneAt).toBe(lastSend.at + 1)
    expect(call.finished).toBe(2)
  })
})

describe('stop', () => {
  it('2007 stop-others: each other CPU runs stop_self (swapper_pg_dir, then VCPUOP_down on itself) and stays in cpu_online_map', () => {
    const r = pv2007(3, [{ at: 10, cpu: 0, do: 'stop-others' }])
    const call = ofKind(r, 'call-function')[0]!
    expect(call).toMatchObject({
      func: 'stop_self',
      wait: false,
      started: 2,
      targets: [1, 2],
      hung: false,
    })
    for (const k of [1, 2]) {
      const ops = hypercalls(r)
        .filter((e) => e.at >= call.at && e.cpu === k)
        .map((e) => `${e.op}(${e.vcpu ?? '-'})`)
      expect(ops).toEqual(['MMUEXT_NEW_BASEPTR(-)', `VCPUOP_down(${k})`])
    }
    // Linux's state is cpu_online_map: f87e4cac never clears it, so cpus 1 and 2 stay online
    // (no cpu-state event says otherwise) while Xen has their vCPUs down.
    expect(r.details.cpus.map((c) => c.state)).toEqual(['online', 'online', 'online'])
    expect(r.details.cpus[1]?.reason).toContain('in cpu_online_map, but its vCPU is down')
    expect(ofKind(r, 'cpu-state').filter((e) => e.at >= call.at)).toEqual([])
    expect(r.layout.vcpus.map((v) => v.up)).toEqual([true, false, false])
  })

  it('PVHVM stop uses REBOOT_VECTOR through the local APIC: every CPU halts and Xen takes its vCPU down', () => {
    const r = runXenDoc({
      type: 'pvhvm',
      maxVcpus: 3,
      design: 'vcpu-id-mapping',
      steps: [{ at: 10, cpu: 0, do: 'stop-others' }],
    })
    expect(ofKind(r, 'ipi').map((e) => [e.vector, e.deliveredToCpu, e.port])).toEqual([
      ['reboot', 1, null],
      ['reboot', 2, null],
    ])
    expect(r.layout.vcpus.map((v) => v.up)).toEqual([true, false, false])
  })
})

describe('exit-mmap and the lazy TLB unpin', () => {
  it('drop-first: the lazy CPUs leave the mm (one lazy-tlb-drop each) before MMUEXT_UNPIN_TABLE, which returns 0 and the pages become writable', () => {
    const r = pv2007(4, [{ at: 10, cpu: 0, do: 'exit-mmap', lazyCpus: [2, 3] }])
    const drops = ofKind(r, 'lazy-tlb-drop')
    expect(drops.map((d) => d.cpu)).toEqual([2, 3])
    const unpin = find(r, (e) => e.op === 'MMUEXT_UNPIN_TABLE')
    expect(unpin.rc).toBe(0)
    expect(unpin.at).toBeGreaterThan(Math.max(...drops.map((d) => d.at)))
    expect(find(r, (e) => e.op === 'HYPERVISOR_update_va_mapping').rc).toBe(0)
    expect(ofKind(r, 'call-function')[0]).toMatchObject({
      func: 'drop_other_mm_ref',
      wait: true,
      targets: [2, 3],
      finished: 2,
    })
    expect(check(r, 'no-unpin-while-referenced').ok).toBe(true)
  })

  it('unpin-first: Xen clears the pin but refuses to make the in-use table writable (-EBUSY); the 2007 xen_mc_flush BUG_ONs', () => {
    const r = pv2007(3, [
      { at: 10, cpu: 0, do: 'exit-mmap', lazyCpus: [1, 2], order: 'unpin-first' },
    ])
    expect(find(r, (e) => e.op === 'MMUEXT_UNPIN_TABLE').rc).toBe(0)
    expect(find(r, (e) => e.op === 'HYPERVISOR_update_va_mapping')).toMatchObject({
      rc: -16,
      errno: 'EBUSY',
    })
    expect(ofKind(r, 'bug')[0]).toMatchObject({
      cpu: 0,
      where: 'BUG_ON in xen_mc_flush: a multicall entry failed (-EBUSY)',
    })
    expect(ofKind(r, 'lazy-tlb-drop')).toEqual([])
    const c = check(r, 'no-unpin-while-referenced')
    expect(c.ok).toBe(false)
    expect(c.message).toContain('while vCPU 0, 1, 2 still had it in CR3')
  })

  it('v4.8 xen_mc_flush only WARNs, so the drop still follows the failed unpin', () => {
    const r = runXenDoc({
      type: 'pv',
      maxVcpus: 3,
      design: 'vcpu-id-mapping',
      steps: [{ at: 10, cpu: 0, do: 'exit-mmap', lazyCpus: [1, 2], order: 'unpin-first' }],
    })
    expect(ofKind(r, 'bug')[0]?.where).toMatch(/^WARN_ON in xen_mc_flush/)
    expect(ofKind(r, 'lazy-tlb-drop').map((d) => d.cpu)).toEqual([1, 2])
  })
})
