/** The shape of a xen run result: the fixed names of docs/result.md and what the renderer draws. */
import { describe, expect, it } from 'vitest'
import { RunBoundError, runScenario } from '../../../src/engines'
import { XEN_ENGINE_VERSION } from '../../../src/engines/xen'
import { hypercalls, ofKind, runXenDoc, xenScenario } from './support'

describe('xen run result', () => {
  const r = runXenDoc({
    type: 'pvhvm',
    maxVcpus: 4,
    onlineVcpus: 3,
    design: 'vcpu-id-mapping',
    steps: [{ at: 5, cpu: 0, do: 'call-function', targets: [1, 2], wait: true }],
  })

  it('details.cpus has exactly { cpu, vcpu, acpiId, apicId, state, reason } per possible CPU', () => {
    expect(r.details.cpus.map((c) => Object.keys(c))).toEqual(
      r.details.cpus.map(() => ['cpu', 'vcpu', 'acpiId', 'apicId', 'state', 'reason']),
    )
    expect(r.details.cpus[3]).toEqual({
      cpu: 3,
      vcpu: null,
      acpiId: null,
      apicId: null,
      state: 'offline',
      reason:
        'hotplug CPU: possible, not present (Allowing 15 CPUs, 12 hotplug CPUs; a disabled MADT entry)',
    })
  })

  it('every hypercall event has the FORMATS fields, a source naming the Linux and the Xen function, and a confidence', () => {
    const calls = hypercalls(r)
    expect(calls.length).toBeGreaterThan(30)
    for (const e of calls) {
      expect(Object.keys(e)).toEqual(
        expect.arrayContaining([
          'at',
          'op',
          'cpu',
          'onVcpu',
          'side',
          'vcpu',
          'rc',
          'errno',
          'source',
          'confidence',
        ]),
      )
      expect(e.source).toMatch(/ \/ /)
      expect(['boot', 'starting', 'self']).toContain(e.side)
    }
    const reg = calls.find((e) => e.op === 'VCPUOP_register_vcpu_info' && e.forCpu === 2)!
    expect(reg.source).toBe(
      'xen_hvm_cpu_notify (arch/x86/xen/enlighten.c, v4.8.15) / map_vcpu_info (xen/common/domain.c)',
    )
    expect(reg.confidence).toBe('source')
  })

  it('events are in time order and ipi events carry from/to for arrows', () => {
    for (let i = 1; i < r.events.length; i++)
      expect(r.events[i]!.at).toBeGreaterThanOrEqual(r.events[i - 1]!.at)
    expect(ofKind(r, 'ipi').map((e) => [e.from, e.to, e.deliveredToCpu])).toEqual([
      [0, 1, 1],
      [0, 2, 2],
    ])
  })

  it('the timeline has a track per vCPU, states with descriptions, and says what a tick is', () => {
    expect(r.timeline.tickUnit).toMatch(/^1 tick = /)
    expect(r.timeline.tracks.map((t) => t.id)).toEqual(['vcpu0', 'vcpu1', 'vcpu2', 'vcpu3'])
    expect(r.timeline.tracks.map((t) => t.label)).toEqual([
      'vCPU 0 · cpu 0',
      'vCPU 1 · cpu 1',
      'vCPU 2 · cpu 2',
      'vCPU 3',
    ])
    const states = new Set(r.timeline.states.map((s) => s.state))
    for (const t of r.timeline.tracks)
      for (const s of t.spans) {
        expect(states.has(s.state)).toBe(true)
        expect(s.end).toBeGreaterThan(s.start)
      }
    expect(r.timeline.tracks[3]!.spans).toEqual([{ start: 0, end: r.timeline.end, state: 'down' }])
    expect(
      r.timeline.tracks[0]!.spans.some((s) => s.state === 'prepare' && s.label === 'prepare cpu 2'),
    ).toBe(true)
    expect(r.timeline.tracks[0]!.spans.some((s) => s.state === 'spinning')).toBe(true)
  })

  it('the layout links Linux CPUs, the ids their calls carry, vCPUs and the MADT', () => {
    expect(r.layout).toMatchObject({
      kind: 'xen',
      guestType: 'pvhvm',
      xenVersion: '4.7',
      outcome: 'booted',
    })
    expect(r.layout.linuxCode).toBe(
      'v4.8.15 (CPU notifiers), 88e957d6 "xen: introduce xen_vcpu_id mapping" as first merged',
    )
    expect(r.layout.cpus[2]).toMatchObject({
      cpu: 2,
      vcpu: 2,
      vcpuId: 2,
      idSource: 'acpi-id',
      startsOn: 2,
    })
    expect(r.layout.vcpus[3]).toEqual({
      vcpu: 3,
      online: false,
      up: false,
      acpiId: 3,
      apicId: 6,
      mpidr: null,
      cpu: null,
      vcpuInfo: 'shared',
      fifoControlBlock: false,
    })
    expect(r.engineVersion).toBe(XEN_ENGINE_VERSION)
    expect(r.design).toBe('vcpu-id-mapping')
  })

  it('a run past maxEvents is a RunBoundError, not a hang', () => {
    expect(() =>
      runScenario(xenScenario({ type: 'pv', maxVcpus: 4, design: 'raw-cpu' }), { maxEvents: 10 }),
    ).toThrow(RunBoundError)
  })

  it('a 2048-vCPU PVHVM guest runs, and says Xen would not build it (HVM_MAX_VCPUS = 128)', () => {
    const big = runXenDoc({
      version: '4.8',
      type: 'pvhvm',
      maxVcpus: 256,
      design: 'vcpu-id-mapping',
    })
    expect(big.metrics.cpusOnline?.value).toBe(256)
    const c = big.checks.find((x) => x.id === 'domain-buildable')!
    expect(c.ok).toBe(false)
    expect(c.message).toContain('-EINVAL above 128')
    expect(big.layout.domain.buildable).toBe(false)
  })

  it('ARM: Xen 4.5 builds at most 8 vCPUs (MAX_VIRT_CPUS), arm64 Xen 4.6 builds 9 (128)', () => {
    const arm = (version: string) =>
      runXenDoc({ version, type: 'arm', maxVcpus: 9, design: 'arm-smp-fix' })
    const old = arm('4.5')
    const c = old.checks.find((x) => x.id === 'domain-buildable')!
    expect(c.ok).toBe(false)
    expect(c.message).toContain('-EINVAL above 8')
    expect(c.source).toContain('MAX_VIRT_CPUS = 8 on Xen 4.5')
    expect(old.layout.domain.buildable).toBe(false)
    // 4.5 puts the whole id in Aff0: vCPU 8 is MPIDR 0x80000008 either way, vCPU 17 would differ
    expect(old.layout.vcpus[8]?.mpidr).toBe(0x80000008)
    const newer = arm('4.6')
    expect(newer.checks.find((x) => x.id === 'domain-buildable')?.ok).toBe(true)
    expect(newer.layout.domain.buildable).toBe(true)
    expect(
      runXenDoc({ version: '4.5', type: 'arm', maxVcpus: 8, design: 'arm-smp-fix' }).layout.domain
        .buildable,
    ).toBe(true)
  })
})
