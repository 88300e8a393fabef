/**
 * Run results built by hand, for the views while the engines' timelines and the Xen engine are
 * still landing: the shapes of FORMATS.md with the values the research's test vectors give
 * (xen TV6: ARM, 2 vCPUs, init_control(vcpu -1) → -ENOENT; book3s: POWER8 vcpus 9, 10, 13 of
 * vcore 1 under first-come, a doorbell from vcpu 9 meant for vcpu 10 landing on vcpu 13), and a
 * timeline of any size for the performance measurements.
 */
import type {
  Book3sRunResult,
  DoorbellEvent,
  HypercallEvent,
  Span,
  StateInfo,
  Track,
  XenRunResult,
} from '../../src/shared/result'

/** The engine's thread states (src/engines/book3s), as `timeline.states` lists them. */
export const BOOK3S_STATES: StateInfo[] = [
  {
    state: 'mmu-in',
    label: 'MMU switch in',
    description: 'thread 0 switches LPID/SDR1 to the guest',
  },
  {
    state: 'wait-in-guest',
    label: 'waiting for in_guest',
    description: 'a secondary spins until thread 0 has switched the MMU',
  },
  {
    state: 'load-state',
    label: 'loading guest state',
    description: "the vcpu's SLB, SPRs and GPRs are loaded",
  },
  { state: 'guest', label: 'in guest', description: 'the vcpu runs guest code' },
  { state: 'cede-nap', label: 'ceded, napping', description: 'H_CEDE: the thread naps' },
  {
    state: 'novcpu-nap',
    label: 'no vcpu, napping',
    description: 'thread 0 with no vcpu naps (NAPPING_NOVCPU)',
  },
  {
    state: 'save-state',
    label: 'saving guest state',
    description: 'the exiting vcpu saves its state',
  },
  {
    state: 'mmu-out',
    label: 'MMU switch out',
    description: 'thread 0 switches the MMU back to the host',
  },
]

const CYCLE = [
  'mmu-in',
  'wait-in-guest',
  'load-state',
  'guest',
  'cede-nap',
  'guest',
  'save-state',
  'mmu-out',
]

export interface SyntheticOptions {
  /** Tracks (hardware threads), 8 per core. */
  tracks?: number
  /** Spans per track. */
  spans?: number
  /** Doorbell events, spread over the run. */
  doorbells?: number
}

/**
 * A POWER8 first-come run with `tracks × spans` spans: vcore 1 (vcpus 9, 10, 13) on core 0 placed
 * first-come (vcpu 9 on thread 0, 10 on 1, 13 on 2), so a doorbell from vcpu 9 with tag 2 (meant
 * for vcpu 10, virtual thread 2) lands on physical thread 2, where vcpu 13 runs.
 */
export function syntheticBook3sRun(opts: SyntheticOptions = {}): Book3sRunResult {
  const nTracks = opts.tracks ?? 8
  const perTrack = opts.spans ?? 40
  const cores = Math.ceil(nTracks / 8)
  const vcpuOnCpu = new Map<number, number>([
    [0, 9],
    [1, 10],
    [2, 13],
  ])
  const tracks: Track[] = []
  const step = 97
  for (let cpu = 0; cpu < nTracks; cpu++) {
    const spans: Span[] = []
    let t = 0
    for (let i = 0; i < perTrack; i++) {
      const state = CYCLE[(i + cpu) % CYCLE.length] as string
      const len = 40 + ((i * 37 + cpu * 11) % step)
      const vcpu = vcpuOnCpu.get(cpu)
      spans.push({
        start: t,
        end: t + len,
        state,
        ...(vcpu !== undefined && state === 'guest' ? { ref: `vcpu:${vcpu}` } : {}),
      })
      t += len
    }
    tracks.push({
      id: `cpu${cpu}`,
      label: `cpu ${cpu} (core ${Math.floor(cpu / 8)} thread ${cpu % 8})`,
      group: `core ${Math.floor(cpu / 8)}`,
      spans,
    })
  }
  const end = Math.max(...tracks.map((tr) => tr.spans.at(-1)?.end ?? 0))
  const events: DoorbellEvent[] = []
  const n = opts.doorbells ?? 2
  for (let i = 0; i < n; i++) {
    const astray = i % 2 === 0
    events.push({
      kind: 'doorbell',
      at: Math.round(((i + 0.5) / n) * end),
      from: 9,
      tag: astray ? 2 : 1,
      intended: astray ? 10 : 9,
      deliveredTo: astray ? 13 : 10,
      thread: astray ? 2 : 1,
      outcome: astray ? 'misdelivered' : 'delivered',
      cpu: astray ? 2 : 1,
      track: 'cpu0',
      toTracks: [astray ? 'cpu2' : 'cpu1'],
      source: 'msgsndp: physical thread subcore_base + tag (research/kvm-book3s.md §3.2)',
      confidence: 'source',
    })
  }
  const threads = (core: number) =>
    Array.from({ length: 8 }, (_, t) => {
      const cpu = core * 8 + t
      const vcpu = core === 0 ? (vcpuOnCpu.get(cpu) ?? null) : null
      return {
        thread: t,
        subcoreThread: t,
        cpu,
        vcpu,
        role: vcpu !== null ? ('guest' as const) : ('idle' as const),
        switchesMmu: core === 0 && t === 0,
      }
    })
  const scenario = {
    schemaVersion: 1 as const,
    name: 'Synthetic POWER8 first-come timeline',
    description: 'vcpus 9, 10 and 13 of vcore 1, placed first-come',
    engine: 'book3s' as const,
    seed: 1,
    host: { processor: 'POWER8' as const, cores, subcoresPerCore: 1 },
    kvm: {
      design: 'first-come' as const,
      smtMode: 8,
      emulSmtMode: 1,
      nrCpus: 2048,
      doorbellMasks: '2018' as const,
    },
    guest: { vcpuIds: [9, 10, 13] },
    workload: { steps: [], until: end, random: null },
  }
  return {
    schemaVersion: 1,
    engine: 'book3s',
    design: 'first-come',
    seed: 1,
    engineVersion: 'synthetic',
    scenario,
    layout: {
      kind: 'power',
      processor: 'POWER8',
      threadsPerCore: 8,
      subcoresPerCore: 1,
      threadsPerSubcore: 8,
      cores: Array.from({ length: cores }, (_, c) => ({
        core: c,
        subcores: [{ subcore: 0, vcore: c === 0 ? 1 : null, threads: threads(c) }],
      })),
      vcores: [
        {
          vcore: 1,
          firstVcpuId: null,
          vcpus: [9, 10, 13],
          placedOn: { core: 0, subcore: 0, pcpu: 0 },
        },
      ],
      placement: { rule: 'synthetic', confidence: 'model' },
    },
    timeline: {
      tickUnit: '1 tick = 10 ns (a model unit; 100 ticks ≈ 512 timebase ticks ≈ 1 µs)',
      end,
      states: BOOK3S_STATES,
      tracks,
    },
    events,
    metrics: {
      misdelivered: { value: Math.ceil(n / 2), unit: 'doorbells', label: 'doorbells misdelivered' },
      misalignedVcpus: { value: 3, unit: 'vcpus', label: 'vcpus off their virtual thread' },
    },
    checks: [
      {
        id: 'no-misdelivered-doorbell',
        ok: n === 0,
        message:
          n === 0
            ? 'every doorbell reached the vcpu it was meant for'
            : 'vcpu 9 sent a doorbell with tag 2 meant for vcpu 10 (virtual thread 2); it landed on physical thread 2, where vcpu 13 runs',
        source: 'e0b7ec05 (kvmppc_start_thread); msgsndp targets subcore_base + tag',
        confidence: 'source',
        refs: n === 0 ? [] : [0],
      },
      {
        id: 'vcore-on-one-subcore',
        ok: true,
        message: 'every vcpu of a vcore runs on the same physical (sub)core',
        source: 'kvmppc_run_core',
        confidence: 'source',
        refs: [],
      },
    ],
    details: {
      vcpus: [9, 10, 13].map((id) => ({
        id,
        created: true,
        error: null,
        vcore: 1,
        firstVcpuId: null,
        ptid: null,
        reason: null,
      })),
      dispatches: [],
    },
    run: { events: tracks.length * perTrack, end, stoppedBy: 'until' },
  }
}

/**
 * Xen test vector 6 (research/xen-vcpu.md §11): ARM, 2 vCPUs, FIFO, Linux at 88e957d6 (the id
 * before it is set is -1). The boot CPU prepares CPU 1 with EVTCHNOP_init_control(vcpu
 * 0xFFFFFFFF), Xen answers -ENOENT, CPU 1 never starts: one CPU online.
 */
export function syntheticXenArmRun(): XenRunResult {
  const call = (
    at: number,
    op: string,
    cpu: number,
    vcpu: number | null,
    rc: number,
    errno: string | null,
    side: HypercallEvent['side'],
  ): HypercallEvent => ({
    kind: 'hypercall',
    at,
    op,
    cpu,
    onVcpu: 0,
    side,
    vcpu,
    rc,
    errno,
    source: 'research/xen-vcpu.md §8 (derived)',
  })
  const events: HypercallEvent[] = [
    call(1, 'VCPUOP_register_vcpu_info', 0, 0, 0, null, 'boot'),
    call(2, 'EVTCHNOP_init_control', 0, 0, 0, null, 'boot'),
    call(10, 'EVTCHNOP_init_control', 1, 0xffffffff, -2, 'ENOENT', 'boot'),
  ]
  const cpus = [
    { cpu: 0, vcpu: 0, acpiId: null, apicId: null, state: 'online' as const, reason: null },
    {
      cpu: 1,
      vcpu: null,
      acpiId: null,
      apicId: null,
      state: 'failed' as const,
      reason: 'init_control -ENOENT at CPU_UP_PREPARE',
    },
  ]
  return {
    schemaVersion: 1,
    engine: 'xen',
    design: 'vcpu-id-mapping',
    seed: 1,
    engineVersion: 'synthetic',
    scenario: {
      schemaVersion: 1,
      name: 'ARM: CPU 1 never comes up (88e957d6)',
      description: 'test vector 6',
      engine: 'xen',
      seed: 1,
      xen: { version: '4.7' },
      guest: {
        type: 'arm',
        maxVcpus: 2,
        onlineVcpus: 2,
        nrCpus: 2,
        eventChannels: 'fifo',
        boot: { kind: 'normal' },
      },
      linux: { design: 'vcpu-id-mapping', era: '4.8', idBeforeSet: 'minus-one' },
      workload: { steps: [], until: null },
    },
    layout: {
      kind: 'xen',
      cpus,
      vcpus: [
        { vcpu: 0, online: true, acpiId: 0, apicId: 0 },
        { vcpu: 1, online: false, acpiId: 1, apicId: 2 },
      ],
    },
    timeline: {
      tickUnit: '1 tick = 1 step of the bring-up',
      end: 20,
      states: [
        { state: 'booting', label: 'booting', description: 'bring-up in progress' },
        { state: 'online', label: 'online', description: 'the CPU runs' },
        { state: 'failed', label: 'failed', description: 'bring-up was cancelled' },
      ],
      tracks: [
        {
          id: 'cpu0',
          label: 'cpu 0 (vCPU 0)',
          group: 'guest',
          spans: [
            { start: 0, end: 3, state: 'booting' },
            { start: 3, end: 20, state: 'online', ref: 'vcpu:0' },
          ],
        },
        {
          id: 'cpu1',
          label: 'cpu 1',
          group: 'guest',
          spans: [{ start: 10, end: 20, state: 'failed' }],
        },
      ],
    },
    events,
    metrics: {
      cpusOnline: { value: 1, unit: 'CPUs', label: 'CPUs online' },
      cpusFailed: { value: 1, unit: 'CPUs', label: 'CPUs that failed to come up' },
    },
    checks: [
      {
        id: 'every-cpu-online',
        ok: false,
        message:
          'cpu 1 failed to come up: EVTCHNOP_init_control(vcpu 4294967295) returned -ENOENT at CPU_UP_PREPARE',
        source: 'de75abbe "arm/xen: fix SMP guests boot"; event_fifo.c (Xen 4.7)',
        confidence: 'derived',
        refs: [2],
      },
      {
        id: 'hypercall-targets-own-vcpu',
        ok: false,
        message: 'a hypercall for cpu 1 named vCPU 4294967295, not the vCPU it runs on',
        source: '88e957d6 "xen: introduce xen_vcpu_id mapping"',
        confidence: 'derived',
        refs: [2],
      },
    ],
    details: { cpus },
    run: { events: 3, end: 20, stoppedBy: 'drained' },
  }
}
