/**
 * The threads between a layout and the timeline (linked selection): which timeline rows belong to
 * a thread, a CPU or a vcpu, which layout cell a row is, what each thread was doing at a tick, and
 * the doorbell arrows the POWER layout draws for chosen events. Track ids follow the engines:
 * book3s has `cpuN` per hardware thread (host cpu N); xen has `vcpuN` per Xen vCPU, and a Linux
 * CPU is found on the track of the vCPU it runs on (or would start on).
 */
import type { DoorbellEvent, RunResult } from '../result'
import type { DoorbellArrow } from './powerLayoutOption'
import { firstPast, type PlacedEvent, type PreparedTimeline } from './timelineModel'

/** The cpu number of a track id `cpuN`, else null. */
export function cpuOfTrack(id: string | undefined): number | null {
  const m = id === undefined ? null : /^cpu(\d+)$/.exec(id)
  return m ? Number(m[1]) : null
}

/** The row of a hardware thread (book3s) or Linux CPU (xen; `result` finds its vCPU). */
export function rowOfCpu(p: PreparedTimeline, cpu: number, result?: RunResult): number | null {
  const own = p.rowOf.get(`cpu${cpu}`)
  if (own !== undefined) return own
  if (result?.layout.kind !== 'xen') return null
  const c = result.layout.cpus.find((x) => x.cpu === cpu)
  const v = c ? (c.vcpu ?? c.startsOn) : null
  return v === null || v === undefined ? null : (p.rowOf.get(`vcpu${v}`) ?? null)
}

/** The cpu (thread or Linux CPU) and vcpu a row stands for. */
export function selectionOfRow(
  p: PreparedTimeline,
  result: RunResult,
  row: number,
): { cpu: number | null; vcpu: number | null } {
  const id = p.tracks[row]?.id
  const cpu = cpuOfTrack(id)
  if (cpu !== null) return { cpu, vcpu: vcpuOfCpu(result, cpu) }
  const m = id === undefined ? null : /^vcpu(\d+)$/.exec(id)
  if (!m) return { cpu: null, vcpu: null }
  const vcpu = Number(m[1])
  return { cpu: cpuOfVcpu(result, vcpu), vcpu }
}

/**
 * What the links look up often, built once per prepared timeline (its arrays never change): the
 * rows whose spans name each `ref`, and each placed event by its index in `RunResult.events`. A
 * million-span run scanned for every doorbell drawn would stall each zoom step by a tenth of a
 * second.
 */
interface LinkIndex {
  rowsOfRef: Map<string, number[]>
  /** By index in `RunResult.events` (undefined: not on the timeline). */
  placed: (PlacedEvent | undefined)[]
}
const linkIndexes = new WeakMap<PreparedTimeline, LinkIndex>()

function linkIndex(p: PreparedTimeline): LinkIndex {
  let ix = linkIndexes.get(p)
  if (ix) return ix
  const rowsOfRef = new Map<string, number[]>()
  p.tracks.forEach((t, row) => {
    const { index, texts } = t.refs
    let last = 0
    for (let i = 0; i < t.columns.n; i++) {
      const k = index[i] as number
      if (k === 0 || k === last) continue
      last = k
      const ref = texts[k] as string
      const rows = rowsOfRef.get(ref)
      if (!rows) rowsOfRef.set(ref, [row])
      else if (rows[rows.length - 1] !== row) rows.push(row)
    }
  })
  let n = 0
  for (const e of p.events) n = Math.max(n, e.index + 1)
  // Made at its length first: filled out of order, it stays an array, not a dictionary.
  const placed = new Array<PlacedEvent | undefined>(n)
  for (const e of p.events) placed[e.index] = e
  ix = { rowsOfRef, placed }
  linkIndexes.set(p, ix)
  return ix
}

/** Rows a vcpu ran on: its own track (xen), the spans with `ref "vcpu:N"`, else its layout cell. */
export function rowsOfVcpu(p: PreparedTimeline, result: RunResult, vcpu: number): number[] {
  const own = p.rowOf.get(`vcpu${vcpu}`)
  if (own !== undefined) return [own]
  const rows = linkIndex(p).rowsOfRef.get(`vcpu:${vcpu}`) ?? []
  if (rows.length > 0) return [...rows]
  const cpu = cpuOfVcpu(result, vcpu)
  const row = cpu === null ? null : rowOfCpu(p, cpu, result)
  return row === null ? [] : [row]
}

/** The thread (book3s) or Linux CPU (xen) a vcpu sits on in the layout. */
export function cpuOfVcpu(result: RunResult, vcpu: number): number | null {
  if (result.layout.kind === 'power') {
    for (const c of result.layout.cores)
      for (const sc of c.subcores) for (const t of sc.threads) if (t.vcpu === vcpu) return t.cpu
    return null
  }
  const cpus = result.layout.cpus
  return (cpus.find((c) => c.vcpu === vcpu) ?? cpus.find((c) => c.startsOn === vcpu))?.cpu ?? null
}

/** The vcpu on a thread (book3s) or under a Linux CPU (xen), from the layout. */
export function vcpuOfCpu(result: RunResult, cpu: number): number | null {
  if (result.layout.kind === 'power') {
    for (const c of result.layout.cores)
      for (const sc of c.subcores) for (const t of sc.threads) if (t.cpu === cpu) return t.vcpu
    return null
  }
  return result.layout.cpus.find((c) => c.cpu === cpu)?.vcpu ?? null
}

/** What each `cpuN` track was doing at `tick`: host cpu → state. */
export function threadStatesAt(p: PreparedTimeline, tick: number): Map<number, string> {
  const out = new Map<number, string>()
  for (const t of p.tracks) {
    const cpu = cpuOfTrack(t.id)
    if (cpu === null) continue
    const c = t.columns
    const i = firstPast(c.end, 0, c.n, (e) => e > tick)
    if (i < c.n && (c.start[i] as number) <= tick) out.set(cpu, c.states[c.state[i] as number]!)
  }
  return out
}

/**
 * Arrows for doorbell events, from the sender's thread to where each landed and, when it went
 * astray, dashed to the vcpu the guest meant. `indices` index `result.events`.
 */
export function doorbellArrows(
  p: PreparedTimeline,
  result: RunResult,
  indices: readonly number[],
): DoorbellArrow[] {
  const { placed } = linkIndex(p)
  const out: DoorbellArrow[] = []
  for (const i of indices) {
    const e = result.events[i] as DoorbellEvent | undefined
    const at = placed[i]
    if (!e || e.kind !== 'doorbell' || !at) continue
    const fromCpu = cpuOfTrack(p.tracks[at.row]?.id)
    if (fromCpu === null) continue
    // The engine names the host cpu the doorbell reached (the doorbell event's `cpu`); else the arrow's end.
    const toRow = at.toRows[0]
    const toCpu =
      typeof e.cpu === 'number'
        ? e.cpu
        : toRow === undefined
          ? null
          : cpuOfTrack(p.tracks[toRow]?.id)
    const intendedRows = e.intended === null ? [] : rowsOfVcpu(p, result, e.intended)
    const intendedCpu =
      e.intended === null || e.outcome === 'delivered'
        ? null
        : cpuOfTrack(p.tracks[intendedRows[0] ?? -1]?.id)
    const bad = e.outcome === 'misdelivered' || e.outcome === 'lost'
    const meant = e.intended === null ? 'no vcpu' : `vcpu ${e.intended}`
    const label =
      e.outcome === 'delivered'
        ? `vcpu ${e.from}, tag ${e.tag}: delivered to vcpu ${e.deliveredTo}`
        : e.outcome === 'misdelivered'
          ? `vcpu ${e.from}, tag ${e.tag}: landed on ${e.deliveredTo === e.from ? 'itself' : `vcpu ${e.deliveredTo}`}, meant for ${meant}`
          : e.outcome === 'lost'
            ? `vcpu ${e.from}, tag ${e.tag}: lost on thread ${e.thread ?? '?'} (no vcpu there), meant for ${meant}`
            : `vcpu ${e.from}, tag ${e.tag}: ignored`
    out.push({ fromCpu, toCpu, intendedCpu, bad, label })
  }
  return out
}
