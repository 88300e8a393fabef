/** The benchmark cases: each builds a normalised scenario for `runScenario`. */
import { parseScenario, problemLine, type Scenario } from '../src/shared/scenario'

export interface BenchCase {
  name: string
  description: string
  build: () => Scenario
  /** The scenario document as a file would hold it (what a carrier's `run` is sent). */
  document: () => unknown
}

function parsed(doc: unknown): Scenario {
  const r = parseScenario(doc)
  if (!r.ok) throw new Error(r.problems.map(problemLine).join('\n'))
  return r.scenario
}

/**
 * xen-large: a 2048-vCPU PVHVM guest (more than the 128 Xen builds for HVM: the model extends
 * its rules, and the `domain-buildable` check says so) brought up under the mapping, then 160
 * smp_call_function calls with wait, each from a different CPU to every other CPU, with a
 * reschedule IPI between them: about 1.3M simulation events, every one recorded.
 */
export const XEN_LARGE_VCPUS = 2048
const CALLS = 160

function xenLarge(): unknown {
  const n = XEN_LARGE_VCPUS
  const everyone = Array.from({ length: n }, (_, i) => i)
  const steps: unknown[] = []
  for (let i = 0; i < CALLS; i++) {
    const caller = (i * 13) % n
    steps.push({ at: i * 8000, cpu: caller, do: 'call-function', targets: everyone, wait: true })
    steps.push({
      at: i * 8000 + 10,
      cpu: (caller + 1) % n,
      do: 'send-ipi',
      target: caller,
      vector: 'reschedule',
    })
  }
  return {
    schemaVersion: 1,
    name: 'xen-large',
    engine: 'xen',
    xen: { version: '4.8' },
    guest: { type: 'pvhvm', maxVcpus: n },
    linux: { design: 'vcpu-id-mapping' },
    workload: { steps },
  }
}

/**
 * book3s-large as a scenario file would hold it (the app's editor and the end-to-end tests paste
 * it): 256 POWER8 cores, 2048 vcpus in 256 vcores of 8, a seeded random workload, aligned.
 */
export function book3sLargeDocument(): Record<string, unknown> {
  return {
    schemaVersion: 1,
    name: 'book3s-large',
    engine: 'book3s',
    seed: 7,
    host: { processor: 'POWER8', cores: 256 },
    kvm: { design: 'aligned' },
    guest: { vcpus: 2048 },
    workload: {
      steps: Array.from({ length: 2048 }, (_, vcpu) => ({ at: 0, vcpu, do: 'run' })),
      random: {
        until: 40_000,
        rates: { run: 2, cede: 4, wake: 4, exit: 0.5, msgsndp: 6, 'read-tir': 1 },
      },
      until: 40_000,
    },
  }
}

/**
 * A million spans on few tracks, for the timeline's frame times: POWER8, 2 cores, 16 vcpus, a
 * seeded random workload of cedes, wakes, doorbells and exits (1,004,495 spans on 20 tracks, each
 * row tens of thousands of spans, none folded into a group).
 */
export function timelineMillionDocument(): Record<string, unknown> {
  return {
    schemaVersion: 1,
    name: 'POWER8, 16 vcpus, a random workload: a million spans',
    engine: 'book3s',
    host: { processor: 'POWER8', cores: 2 },
    kvm: { design: 'first-come' },
    guest: { vcpus: 16 },
    workload: {
      random: { until: 2_100_000, rates: { cede: 20, wake: 20, msgsndp: 10, exit: 2, run: 5 } },
    },
  }
}

export const CASES: BenchCase[] = [
  {
    name: 'book3s-large',
    description: '256 POWER8 cores, 2048 vcpus (256 vcores of 8), seeded random workload, aligned',
    build: () => parsed(book3sLargeDocument()),
    document: book3sLargeDocument,
  },
  {
    name: 'xen-large',
    description: `${XEN_LARGE_VCPUS}-vCPU PVHVM bring-up, then ${CALLS} call-functions to all CPUs`,
    build: () => parsed(xenLarge()),
    document: xenLarge,
  },
]

/**
 * The exports of a large run, timed after the run (issue 16, item 3): each writes its file as
 * `lab export` does (chunks through the atomic writer, fsync included) into a temporary folder,
 * and is held to a target, printed as a ratio (below 1 meets it).
 */
export interface ExportCase {
  name: string
  description: string
  /** The case whose run is exported. */
  of: string
  writer: 'trace' | 'perfetto'
  target: { what: 'time'; seconds: number } | { what: 'size'; megabytes: number }
}

export const EXPORT_CASES: ExportCase[] = [
  {
    name: 'book3s-large-trace',
    description: "book3s-large's Chrome trace JSON (lab export --trace), after the run",
    of: 'book3s-large',
    writer: 'trace',
    target: { what: 'time', seconds: 10 },
  },
  {
    name: 'book3s-large-perfetto',
    description: "book3s-large's Perfetto protobuf trace (lab export --perfetto), after the run",
    of: 'book3s-large',
    writer: 'perfetto',
    target: { what: 'size', megabytes: 60 },
  },
]

/**
 * The lab's own costs for a large run (issue 16, items 2 and 4), each held to a target printed as
 * a ratio (below 1 meets it): the packed result's bytes per event or span (the columns, as they
 * move from the worker), and `lab run --out` (the CLI, in its own process, tsx's start included)
 * against the engine's time for the same scenario in this process.
 */
export interface LabCase {
  name: string
  description: string
  /** The case whose run is measured. */
  of: string
  measure: 'packed' | 'lab-run-out'
  target: { what: 'bytes-per-item'; bytes: number } | { what: 'engine-ratio'; times: number }
}

export const LAB_CASES: LabCase[] = ['book3s-large', 'xen-large'].flatMap((of): LabCase[] => [
  {
    name: `${of}-packed`,
    description: `${of}'s result packed (what moves from the worker to the page), after the run`,
    of,
    measure: 'packed',
    target: { what: 'bytes-per-item', bytes: 100 },
  },
  {
    name: `${of}-lab-run-out`,
    description: `lab run --out of ${of}, against the engine's time`,
    of,
    measure: 'lab-run-out',
    target: { what: 'engine-ratio', times: 1.5 },
  },
])

/** The smallest run: it starts a worker (its loader, the engines' modules) before a timed run. */
export const WARM_UP_SCENARIO = {
  schemaVersion: 1,
  engine: 'xen',
  guest: { type: 'pvhvm', maxVcpus: 2 },
  linux: { design: 'vcpu-id-mapping' },
  workload: { steps: [] },
}

/**
 * The lab in Chromium (issue 16, item 4), through the browser preview as the end-to-end tests
 * drive it: click Run to the timeline's first frame against the engine's own time for the same
 * scenario in the bench's process (target 2×), and the timeline's frames while zooming and
 * panning a million spans (targets: median 16 ms, worst 50 ms). Needs Chromium and the built
 * renderer; without them the case says it did not run.
 */
export interface BrowserCase {
  name: string
  description: string
  measure: 'drawn' | 'frames'
  /** The case whose run is drawn (`drawn`). */
  of?: string
}

export const BROWSER_CASES: BrowserCase[] = [
  ...['book3s-large', 'xen-large'].map((of): BrowserCase => ({
    name: `${of}-lab-drawn`,
    description: `${of} in the lab: click Run to the timeline drawn, against the engine's time`,
    measure: 'drawn',
    of,
  })),
  {
    name: 'timeline-1m-frames',
    description: 'the timeline of a million spans, zoomed and panned by keys and wheel',
    measure: 'frames',
  },
]
