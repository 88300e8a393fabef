/**
 * Two views of a book3s run as the guest's and QEMU's own tools print them.
 *
 * `ppc64_cpu --info` in the guest (powerpc-utils, do_info): one line per core, `Core %3d: `, then
 * each of its threads as `%4d%c ` (the Linux CPU number, `*` when online). A pseries guest's
 * cores are its vcores: Linux numbers its CPUs core by core as the device tree lists them, each
 * core's threads in the order of its interrupt-server numbers (the vcpu ids), so a core here is
 * the vcpu ids `id / vsmt` groups together (spapr_vcpu_id).
 *
 * `info cpus` in QEMU's monitor (hmp_info_cpus): `%c CPU #%d: thread_id=%d` per vCPU, in
 * cpu_index order, `*` on the monitor's current CPU (#0 unless changed). QEMU's cpu_index is the
 * order it created the vcpus, which is the order of the scenario's vcpu ids.
 *
 * The model has no host thread ids (`-`); beside each view the lab says which vcpu id each CPU is
 * and which host thread it last ran on (details.dispatches).
 */
import type { Book3sRunResult } from '../result'
import { padStart, type TextView } from './textView'

/** The SMT mode QEMU spaced the ids by, as the scenario ran it (POWER9: the emulated one). */
function vsmtOf(r: Book3sRunResult): number {
  return r.scenario.host.processor === 'POWER9'
    ? r.scenario.kvm.emulSmtMode
    : r.scenario.kvm.smtMode
}

/**
 * Where each vcpu ran last: host CPU, core and thread of the core. A vcpu enters the guest when
 * its vcore is dispatched (details.dispatches) or later, as a latecomer into the running vcore
 * (a `latecomer` event, on the thread the event names, in that dispatch's (sub)core).
 */
function lastRan(r: Book3sRunResult): ReadonlyMap<number, string> {
  let out = lastRanOf.get(r)
  if (!out) lastRanOf.set(r, (out = findLastRan(r)))
  return out
}

/** `lastRan` per run: ppc64_cpu --info and info cpus both ask, and a run's result never changes. */
const lastRanOf = new WeakMap<Book3sRunResult, ReadonlyMap<number, string>>()

function findLastRan(r: Book3sRunResult): Map<number, string> {
  const out = new Map<number, string>()
  const { threadsPerCore, threadsPerSubcore } = r.layout
  const entries: { at: number; vcpu: number; core: number; subcore: number; thread: number }[] = []
  for (const d of r.details.dispatches) {
    for (const t of d.threads) {
      if (t.vcpu !== null && t.role === 'guest')
        entries.push({ at: d.at, vcpu: t.vcpu, core: d.core, subcore: d.subcore, thread: t.thread })
    }
  }
  const dispatchOf = lastDispatch(r.details.dispatches)
  for (const e of r.events) {
    if (e.kind !== 'latecomer') continue
    const d = dispatchOf(e.vcore, e.at)
    if (d)
      entries.push({ at: e.at, vcpu: e.vcpu, core: d.core, subcore: d.subcore, thread: e.thread })
  }
  entries.sort((a, b) => a.at - b.at)
  for (const e of entries) {
    const inCore = e.subcore * threadsPerSubcore + e.thread
    out.set(
      e.vcpu,
      `host CPU ${e.core * threadsPerCore + inCore} (core ${e.core}, thread ${inCore}) at tick ${e.at}`,
    )
  }
  return out
}

type Dispatches = Book3sRunResult['details']['dispatches']

/**
 * The last dispatch (in the list's order) of a vcore at or before a tick: a binary search in the
 * vcore's dispatches when their ticks never go down in the list (as the engine records them),
 * else a scan, so the answer is the same either way. (A scan of every dispatch for each latecomer
 * took 1.5 s on book3s-large's 19,560 latecomers.)
 */
function lastDispatch(
  dispatches: Dispatches,
): (vcore: number, at: number) => Dispatches[number] | undefined {
  const byVcore = new Map<number, Dispatches>()
  for (const d of dispatches) {
    const list = byVcore.get(d.vcore)
    if (list) list.push(d)
    else byVcore.set(d.vcore, [d])
  }
  const sorted = new Set<number>()
  for (const [vcore, list] of byVcore) {
    if (list.every((d, i) => i === 0 || (list[i - 1] as Dispatches[number]).at <= d.at))
      sorted.add(vcore)
  }
  return (vcore, at) => {
    const list = byVcore.get(vcore)
    if (!list) return undefined
    if (!sorted.has(vcore)) return list.filter((x) => x.at <= at).at(-1)
    let lo = 0
    let hi = list.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((list[mid] as Dispatches[number]).at <= at) lo = mid + 1
      else hi = mid
    }
    return lo > 0 ? list[lo - 1] : undefined
  }
}

interface GuestCpu {
  cpu: number
  id: number
}

/** The guest's cores, each with its Linux CPUs, in device-tree order. */
function guestCores(r: Book3sRunResult): GuestCpu[][] {
  const vsmt = vsmtOf(r)
  const created = r.details.vcpus.filter((v) => v.created).map((v) => v.id)
  const byCore = new Map<number, number[]>()
  for (const id of created) {
    const core = Math.floor(id / vsmt)
    byCore.set(core, [...(byCore.get(core) ?? []), id])
  }
  let cpu = 0
  return [...byCore.keys()]
    .sort((a, b) => a - b)
    .map((core) =>
      byCore
        .get(core)!
        .sort((a, b) => a - b)
        .map((id) => ({ cpu: cpu++, id })),
    )
}

export function ppc64CpuInfo(r: Book3sRunResult): TextView {
  const cores = guestCores(r)
  const lines = cores.map(
    (threads, core) =>
      `Core ${padStart(core, 3)}: ${threads.map((t) => `${padStart(t.cpu, 4)}* `).join('')}`,
  )
  const ran = lastRan(r)
  const sizes = new Set(cores.map((c) => c.length))
  const notes = [
    `The guest's view: a core is a vcore (vcpu id / ${vsmtOf(r)}, the vsmt QEMU spaced the ids by); "*" online: the model takes no guest CPU offline.`,
  ]
  if (sizes.size > 1) {
    notes.push(
      'Its cores have different numbers of threads, which a QEMU guest never has: Linux numbers the CPUs in device-tree order, as above.',
    )
  }
  const refused = r.details.vcpus.filter((v) => !v.created)
  if (refused.length > 0) {
    notes.push(
      `Not present: vcpu ${refused.map((v) => `${v.id} (${v.error})`).join(', ')}, which KVM refused.`,
    )
  }
  notes.push(
    'The lab beside it, from details.dispatches and the latecomer events:',
    ...cores
      .flat()
      .map(
        (t) =>
          `  CPU ${t.cpu}: vcpu id ${t.id}, ${ran.has(t.id) ? `last entered the guest on ${ran.get(t.id)!}` : 'never entered the guest'}`,
      ),
  )
  return { command: 'ppc64_cpu --info', lines, notes }
}

export function qemuInfoCpus(r: Book3sRunResult): TextView {
  const created = r.details.vcpus.filter((v) => v.created)
  const lines = created.map((_, i) => `${i === 0 ? '*' : ' '} CPU #${i}: thread_id=-`)
  const ran = lastRan(r)
  const notes = [
    'thread_id: the host thread of the vcpu, which the model does not have ("-"). "*": the monitor\'s current CPU, #0 unless changed.',
  ]
  const refused = r.details.vcpus.filter((v) => !v.created)
  if (refused.length > 0) {
    notes.push(
      `KVM refused vcpu ${refused.map((v) => `${v.id} (${v.error})`).join(', ')}: QEMU would stop there; the lab goes on without ${refused.length === 1 ? 'it' : 'them'}.`,
    )
  }
  notes.push(
    'The lab beside it: each cpu_index, its vcpu id (KVM_CREATE_VCPU) and where it last entered the guest:',
    ...created.map(
      (v, i) =>
        `  CPU #${i}: vcpu id ${v.id}, vcore ${v.vcore ?? '-'}, ${ran.has(v.id) ? `last entered the guest on ${ran.get(v.id)!}` : 'never entered the guest'}`,
    ),
  )
  return { command: 'info cpus', lines, notes }
}
