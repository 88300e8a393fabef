/**
 * The layouts as they were at a tick, read back from the timeline and the events: who ran where
 * and who napped on the POWER grid, which Linux CPUs were up (and which had failed, by which
 * hypercall) on the Xen map. A layout in a run result is the end of the run; clicking a tick in the
 * timeline shows these instead.
 *
 * book3s: a thread's vcpu is its span's `ref` (`vcpu:N`) at the tick, its subcore's vcore the vcore
 * of a vcpu on it; xen: a CPU's state is its last `cpu-state` event by then (none yet: not up), a
 * vCPU is down while its track says `down`, and only hypercalls made by then count.
 */
import type {
  PowerLayout,
  PowerSubcore,
  PowerThread,
  XenLayout,
  XenLayoutCpu,
  XenLayoutVcpu,
} from '../result'
import { firstPast, textAt, timeIndex, type PreparedTimeline } from './timelineModel'

/** The state and ref of a track's span at `tick` (read from its columns), or null in a gap. */
function spanAt(p: PreparedTimeline, id: string, tick: number) {
  const row = p.rowOf.get(id)
  if (row === undefined) return null
  const t = p.tracks[row]!
  const c = t.columns
  const i = firstPast(c.end, 0, c.n, (e) => e > tick)
  if (i >= c.n || (c.start[i] as number) > tick) return null
  return { state: c.states[c.state[i] as number] as string, ref: textAt(t.refs, i) }
}

/** The POWER grid at `tick`: each thread's vcpu and role then, each subcore's vcore. */
export function powerLayoutAt(layout: PowerLayout, p: PreparedTimeline, tick: number): PowerLayout {
  const vcoreOf = new Map<number, number>()
  for (const v of layout.vcores) for (const id of v.vcpus) vcoreOf.set(id, v.vcore)
  const placed = new Map<number, { core: number; subcore: number; pcpu: number }>()
  const cores = layout.cores.map((c) => ({
    core: c.core,
    subcores: c.subcores.map((sc): PowerSubcore => {
      const threads = sc.threads.map((t): PowerThread => {
        const s = spanAt(p, `cpu${t.cpu}`, tick)
        const m = s?.ref ? /^vcpu:(\d+)$/.exec(s.ref) : null
        const vcpu = m ? Number(m[1]) : null
        const role =
          vcpu !== null ? 'guest' : s?.state === 'novcpu-nap' ? 'no-vcpu-nap' : ('idle' as const)
        const out: PowerThread = {
          thread: t.thread,
          subcoreThread: t.subcoreThread,
          cpu: t.cpu,
          vcpu,
          role,
          switchesMmu: false,
          phase: s?.state ?? 'host',
        }
        const vc = vcpu === null ? undefined : vcoreOf.get(vcpu)
        if (vc !== undefined) out.vcore = vc
        return out
      })
      const vcore = threads.find((t) => t.vcore !== undefined)?.vcore ?? null
      for (const t of threads) {
        t.switchesMmu = vcore !== null && t.subcoreThread === 0
        if (vcore !== null && !placed.has(vcore)) {
          placed.set(vcore, { core: c.core, subcore: sc.subcore, pcpu: threads[0]!.cpu })
        }
      }
      return { subcore: sc.subcore, vcore, threads }
    }),
  }))
  return {
    ...layout,
    cores,
    vcores: layout.vcores.map((v) => ({ ...v, placedOn: placed.get(v.vcore) ?? null })),
  }
}

/** The Xen map at `tick`: the CPUs up by then (a failed one with its call), the vCPUs up then. */
export function xenLayoutAt(
  layout: XenLayout,
  events: readonly { kind: string; at: number }[],
  p: PreparedTimeline,
  tick: number,
): XenLayout {
  const last = new Map<number, { state: XenLayoutCpu['state']; reason: string | null }>()
  for (const e of events) {
    if (e.at > tick) continue
    if (e.kind !== 'cpu-state') continue
    const c = e as unknown as { cpu: number; state: XenLayoutCpu['state']; reason: string | null }
    last.set(c.cpu, { state: c.state, reason: c.reason })
  }
  const cpus = layout.cpus.map((c): XenLayoutCpu => {
    const now = last.get(c.cpu)
    if (!now) {
      return {
        ...c,
        state: 'offline',
        reason: `not up yet at tick ${tick}`,
        vcpu: null,
        failedCall: null,
      }
    }
    return {
      ...c,
      state: now.state,
      reason: now.reason,
      vcpu: now.state === 'online' ? c.vcpu : null,
      failedCall: now.state === 'failed' ? c.failedCall : null,
    }
  })
  const cpuOn = new Map<number, number>()
  for (const c of cpus) if (c.vcpu !== null && !cpuOn.has(c.vcpu)) cpuOn.set(c.vcpu, c.cpu)
  const vcpus = layout.vcpus.map((v): XenLayoutVcpu => {
    const s = spanAt(p, `vcpu${v.vcpu}`, tick)
    const up = s ? s.state !== 'down' : v.up
    return { ...v, up, cpu: cpuOn.get(v.vcpu) ?? null }
  })
  return { ...layout, cpus, vcpus }
}

/** The events up to `tick` (what the Xen map at that tick draws its hypercalls from). */
export function eventsBy<E extends { at: number }>(events: readonly E[], tick: number): E[] {
  return events.filter((e) => e.at <= tick)
}

type DoorbellLike = { kind: string; at: number; outcome?: unknown }

/** A run's doorbells in time order (indices into the events, by at then index), built once. */
const doorbellIndexes = new WeakMap<
  readonly DoorbellLike[],
  { order: Int32Array; at: Float64Array; nextAstray: Int32Array; nextDelivered: Int32Array }
>()

function doorbellIndex(events: readonly DoorbellLike[]) {
  let ix = doorbellIndexes.get(events)
  if (!ix) {
    const list: number[] = []
    events.forEach((e, i) => e.kind === 'doorbell' && list.push(i))
    list.sort((a, b) => events[a]!.at - events[b]!.at || a - b)
    // Class 1: went astray; class 2: delivered.
    const { at, next1, next2 } = timeIndex(
      list.length,
      (k) => events[list[k]!]!.at,
      (k) => (events[list[k]!]!.outcome === 'delivered' ? 2 : 1),
    )
    ix = { order: Int32Array.from(list), at, nextAstray: next1, nextDelivered: next2 }
    doorbellIndexes.set(events, ix)
  }
  return ix
}

/**
 * The doorbells the POWER layout draws for a window of the timeline: those in it that went astray
 * first, then the delivered ones, each the earliest, `limit` at most, in time order; and how many
 * the window holds. The run's doorbells are indexed once, so a window costs `limit` steps and two
 * binary searches, not a pass over every event.
 */
export function doorbellsIn(
  events: readonly DoorbellLike[],
  from: number,
  to: number,
  limit = 6,
): { indices: number[]; total: number } {
  const { order, at, nextAstray, nextDelivered } = doorbellIndex(events)
  const lo = firstPast(at, 0, at.length, (t) => t >= from)
  const hi = Math.max(
    lo,
    firstPast(at, 0, at.length, (t) => t > to),
  )
  const picked: number[] = []
  for (const next of [nextAstray, nextDelivered]) {
    for (let k = next[lo]!; k < hi && picked.length < limit; k = next[k + 1]!) picked.push(k)
  }
  picked.sort((a, b) => a - b)
  return { indices: picked.map((k) => order[k]!), total: hi - lo }
}
