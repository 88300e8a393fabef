/**
 * A run result built by hand: a timeline of any size (for the folding and frame-cost tests) with
 * the shapes of docs/result.md and a story the sources give (POWER8 vcpus 9, 10, 13 of vcore 1
 * under first-come; a doorbell from vcpu 9 meant for vcpu 10 lands on vcpu 13).
 */
import { BOOK3S_STATES } from '../../src/engines/book3s'
import type { Book3sRunResult, DoorbellEvent, Span, Track } from '../../src/shared/result'

/** The engine's own states, so a synthetic run's legend is the real one. */
export { BOOK3S_STATES }

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
      source: 'msgsndp: physical thread subcore_base + tag (e0b7ec05 commit message)',
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
    host: { processor: 'POWER8' as const, cores, subcoresPerCore: 1, hz: 100 },
    kvm: {
      design: 'first-come' as const,
      smtMode: 8,
      emulSmtMode: 1,
      nrCpus: 2048,
      doorbellMasks: '2018' as const,
      kernel: '3.13' as const,
      indepThreadsMode: null,
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
          stateAtEnd: 'running',
          waitedTicks: 0,
          preemptions: 0,
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
