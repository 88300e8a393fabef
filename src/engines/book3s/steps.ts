/**
 * The workload's verbs acting on the model: `run`, `cede`, `wake`, `exit`, `msgsndp`, `read-tir`
 * (docs/scenario.md), scripted or drawn from the seeded random workload.
 */
import type {
  DoorbellEvent,
  MsgclrpEvent,
  StepDelayedEvent,
  StepSkippedEvent,
  TirReadEvent,
} from '../../shared/result'
import type { Book3sScenario, Book3sStep, Book3sVerb } from '../../shared/scenario/book3sScenario'
import type { Prng, RequestedWork } from '../kernel'
import {
  DBELL_SERVER_RB,
  P9_MASKS,
  classify,
  emulateMsgsndp,
  emulatedTir,
  intendedSibling,
} from './doorbell'
import type { Recorder } from './recorder'
import type { RunFlow } from './runFlow'
import type { DeferredStep, HwThread, Vcpu } from './state'

const SRC = {
  msgsndp:
    "e0b7ec05 commit message: msgsndp takes the destination physical thread; doorbell_core_ipi names it by the guest's thread number",
  msgsndpP9: 'kvmppc_emulate_doorbell_instr (book3s_hv.c @1e175d2e, 579006944e0d)',
  noMsgsndp: 'POWER7 (ISA 2.06) has no msgsndp; guests use H_IPI through XICS',
  tir: 'TIR: the physical thread number within the (sub)core (e0b7ec05 commit message; SPRN_DOORBELL_CPUTAG = SPRN_TIR, arch/powerpc/include/asm/dbell.h)',
  emulated:
    'kvmppc_emulate_doorbell_instr (book3s_hv.c @1e175d2e): PC += 4 and RESUME_GUEST, so the next instruction runs when the vcpu re-enters',
  inOrder:
    'model: a guest runs its instructions in order; one due while its vcpu is out of the guest and bound to return runs when it re-enters',
  skipped: 'workload step',
} as const

/** Verbs the guest itself executes: they need the vcpu in the guest (`run` and `wake` come from outside). */
const GUEST_VERBS: ReadonlySet<string> = new Set<Book3sVerb>([
  'cede',
  'exit',
  'msgsndp',
  'msgclrp',
  'read-tir',
])

export interface StepContext {
  s: Book3sScenario
  flow: RunFlow
  rec: Recorder
  vcpuById: ReadonlyMap<number, Vcpu>
}

/**
 * A scripted step falls due. A guest instruction whose vcpu is out of the guest but bound to return
 * (see `boundToReturn`) waits for the vcpu to re-enter, behind any earlier one; anything else happens
 * now or is recorded as skipped with the reason.
 */
export function scriptedStep(ctx: StepContext, step: Book3sStep, now: number): void {
  const v = ctx.vcpuById.get(step.vcpu)
  if (!v) {
    const track = ctx.rec.refusedTrack().id
    skipped(ctx, step.vcpu, step.do, now, 'KVM refused to create this vcpu', track)
    return
  }
  if (GUEST_VERBS.has(step.do) && (v.deferred !== null || (!inGuest(v) && boundToReturn(v)))) {
    const d: DeferredStep = {
      dueAt: now,
      do: step.do,
      tag: step.tag,
      rb: step.rb,
      reason: outOfGuest(v),
    }
    ;(v.deferred ??= []).push(d)
    return
  }
  // The CPU the vcpu's task enters KVM_RUN on, when the step names one (on_primary_thread).
  if (step.do === 'run' && v.runState === 'NOTREADY') v.hostCpu = step.hostCpu ?? null
  const why = applyVerb(ctx, v, step.do, step.tag, step.rb, now)
  if (why) skipped(ctx, v.id, step.do, now, why, stepTrack(v))
}

/**
 * The vcpu is in the guest again: its deferred steps run in order, each recorded with its delay,
 * until one takes it out of the guest (the rest wait for the next entry) or it cannot return.
 */
export function runDeferred(ctx: StepContext, v: Vcpu, now: number): void {
  const q = v.deferred
  if (q === null) return
  while (q.length > 0) {
    const d = q[0] as DeferredStep
    const inside = inGuest(v)
    if (!inside && boundToReturn(v)) return
    q.shift()
    if (inside) {
      const e: StepDelayedEvent = {
        kind: 'step-delayed',
        at: now,
        vcpu: v.id,
        do: d.do,
        dueAt: d.dueAt,
        delay: now - d.dueAt,
        reason: d.reason,
        track: (v.thread as HwThread).track.id,
        source: d.reason.includes('kvmppc_emulate_doorbell_instr') ? SRC.emulated : SRC.inOrder,
        confidence: 'model',
      }
      ctx.rec.event(e)
    }
    const why = applyVerb(ctx, v, d.do as Book3sVerb, d.tag, d.rb, now)
    if (why) {
      const reason = `due at tick ${d.dueAt} while ${d.reason}: ${why}`
      skipped(ctx, v.id, d.do, now, reason, stepTrack(v))
    }
  }
  v.deferred = null
}

/** At the end of the run: steps still waiting for their vcpu to re-enter the guest never ran. */
export function expireDeferred(ctx: StepContext, end: number): void {
  for (const v of ctx.vcpuById.values()) {
    if (v.deferred === null) continue
    for (const d of v.deferred) {
      skipped(
        ctx,
        v.id,
        d.do,
        end,
        `due at tick ${d.dueAt} while ${d.reason}; the vcpu had not re-entered the guest by the end of the run`,
        stepTrack(v),
      )
    }
    v.deferred = null
  }
}

/**
 * Where a step of vcpu `v` is drawn: the thread of its latest dispatch (where it is, or last was),
 * else its vcore's track (it has not run yet). A vcpu KVM refused has the `refused-vcpus` track.
 */
function stepTrack(v: Vcpu): string {
  return (v.lastThread ?? v.vcore).track.id
}

function skipped(
  ctx: StepContext,
  vcpu: number,
  verb: string,
  at: number,
  reason: string,
  track: string,
): void {
  const e: StepSkippedEvent = {
    kind: 'step-skipped',
    at,
    vcpu,
    do: verb,
    reason,
    track,
    source: SRC.skipped,
    confidence: 'model',
  }
  ctx.rec.event(e)
}

/**
 * The vcpu is in KVM_RUN, not on its way back to userspace, and not ceded (or already woken): the
 * run flow takes it back into the guest without a step of its own.
 */
function boundToReturn(v: Vcpu): boolean {
  return v.runState === 'RUNNABLE' && v.trap !== 'exit' && (!v.ceded || v.pending)
}

/** Why a vcpu bound to return is out of the guest now. */
function outOfGuest(v: Vcpu): string {
  const vc = v.vcore
  if (vc.preempted) {
    return `vcore ${vc.id}'s runner was preempted by the host scheduler (kvm_resched) and waits for a host CPU`
  }
  if (vc.queued) return `vcore ${vc.id}'s runner waits for a free (sub)core`
  switch (v.trap) {
    case 'hfac':
      return 'KVM emulates its msgsndp, msgclrp or TIR read in the host (kvmppc_emulate_doorbell_instr)'
    case 'hdec':
      return `the host timer interrupt (HDEC) took vcore ${vc.id} out of the guest`
    case null:
      return `vcore ${vc.id} is being dispatched and the vcpu has not entered the guest yet`
    default:
      return `vcore ${vc.id} is leaving the guest (another thread's exit pulled it out)`
  }
}

/** One verb acting on one vcpu; returns why it could not happen, or null. */
export function applyVerb(
  ctx: StepContext,
  v: Vcpu,
  verb: Book3sVerb,
  tag: number | undefined,
  rb: number | undefined,
  now: number,
): string | null {
  switch (verb) {
    case 'run':
      return ctx.flow.enterKvmRun(v)
    case 'cede':
      return ctx.flow.cede(v)
    case 'wake':
      return ctx.flow.wake(v)
    case 'exit':
      if (!inGuest(v)) return 'the vcpu is not executing guest code'
      ctx.flow.exitThread(v.thread as HwThread, 'exit')
      return null
    case 'msgsndp':
      return msgsndp(ctx, v, tag, rb, now)
    case 'msgclrp':
      return msgclrp(ctx, v, rb, now)
    case 'read-tir':
      return readTir(ctx, v, now)
  }
}

function inGuest(v: Vcpu): boolean {
  return v.thread !== null && v.thread.phase === 'guest'
}

/** A doorbell event with every field in one fixed order (one hidden class for millions of them). */
function doorbell(
  at: number,
  from: HwThread,
  sender: number,
  tag: number,
  intended: number | null,
  deliveredTo: number | null,
  target: HwThread | null,
  outcome: DoorbellEvent['outcome'],
  source: string,
  confidence: DoorbellEvent['confidence'],
  note: string | undefined,
): DoorbellEvent {
  return {
    kind: 'doorbell',
    at,
    from: sender,
    tag,
    intended,
    deliveredTo,
    thread: target && outcome !== 'ignored' && source !== SRC.msgsndpP9 ? target.index : null,
    outcome,
    cpu: target ? target.cpu : null,
    track: from.track.id,
    toTracks: target ? target.asTarget : undefined,
    source,
    confidence,
    note,
  }
}

function msgsndp(
  ctx: StepContext,
  v: Vcpu,
  tag: number | undefined,
  rb: number | undefined,
  now: number,
): string | null {
  if (!inGuest(v)) return 'the vcpu is not executing guest code'
  const th = v.thread as HwThread
  const processor = ctx.s.host.processor
  const smtMode = ctx.s.kvm.smtMode
  if (processor === 'POWER7') {
    const note = 'POWER7 has no msgsndp: a POWER7 guest never issues it'
    ctx.rec.event(
      doorbell(now, th, v.id, tag ?? 0, null, null, null, 'ignored', SRC.noMsgsndp, 'source', note),
    )
    return null
  }
  if (processor === 'POWER9') return msgsndpP9(ctx, v, th, tag, rb, now)
  // POWER8: hardware delivery to physical thread `tag` of this sub-processor.
  const t = tag ?? 0
  const siblings = th.siblings
  const target = siblings[t]
  const intendedId = intendedSibling(v.id, t, smtMode)
  const intended = intendedId !== null && ctx.vcpuById.has(intendedId) ? intendedId : null
  if (!target) {
    const note = `no thread ${t} in a ${siblings.length}-thread sub-processor`
    ctx.rec.event(
      doorbell(now, th, v.id, t, intended, null, null, 'ignored', SRC.msgsndp, 'derived', note),
    )
    return null
  }
  const deliveredTo = target.vcpu ? target.vcpu.id : null
  if (target.vcpu) target.vcpu.doorbellPending = true
  const outcome = classify(intended, deliveredTo)
  let note: string | undefined
  if (outcome === 'lost') {
    note =
      target.phase === 'novcpu-nap'
        ? 'thread 0 with no vcpu naps with only external wake-ups enabled: the doorbell is lost'
        : 'no vcpu runs on that physical thread: the doorbell is lost'
  } else if (outcome === 'misdelivered') {
    note = `vcpu ${deliveredTo} gets a doorbell meant for ${intended === null ? 'no existing vcpu' : `vcpu ${intended}`}`
  }
  if (target.phase === 'cede-nap') {
    note = `${note ? note + '; ' : ''}the target is napping in H_CEDE (whether the doorbell wakes it is not modelled)`
  }
  ctx.rec.event(
    doorbell(now, th, v.id, t, intended, deliveredTo, target, outcome, SRC.msgsndp, 'source', note),
  )
  return null
}

/**
 * msgsndp on POWER9: HFSCR[MSGP] is clear, so it traps and `kvmppc_emulate_doorbell_instr` delivers
 * it by vcpu id (or ignores it), then resumes the guest.
 */
function msgsndpP9(
  ctx: StepContext,
  v: Vcpu,
  th: HwThread,
  tag: number | undefined,
  rb: number | undefined,
  now: number,
): string | null {
  const { emulSmtMode, doorbellMasks } = ctx.s.kvm
  const operand = rb ?? (DBELL_SERVER_RB | (tag ?? 0)) >>> 0
  const r = emulateMsgsndp(v.id, operand, emulSmtMode, doorbellMasks, (id) => ctx.vcpuById.has(id))
  const target = r.target === null ? undefined : ctx.vcpuById.get(r.target)
  const note =
    r.ignored ?? `emulated: doorbell_request set on vcpu ${r.target} and kvmppc_fast_vcpu_kick_hv`
  const confidence = doorbellMasks === '2020' ? 'derived' : 'source'
  const outcome = r.target === null ? 'ignored' : 'delivered'
  ctx.rec.event(
    doorbell(
      now,
      th,
      v.id,
      operand & 0x7f,
      r.target,
      r.target,
      target?.thread ?? null,
      outcome,
      SRC.msgsndpP9,
      confidence,
      note,
    ),
  )
  if (target) target.doorbellPending = true
  // The kick wakes a ceded target like any interrupt.
  if (target && target.ceded) ctx.flow.wake(target)
  // HFSCR[MSGP] is clear: the instruction traps to the host, which emulates it and resumes.
  ctx.flow.exitThread(th, 'hfac')
  return null
}

/**
 * msgclrp: clears the issuing thread's pending directed privileged doorbell. On POWER9
 * `kvmppc_emulate_doorbell_instr` acts only on type PPC_DBELL_SERVER and clears `vcore->dpdes` and
 * `doorbell_request`; POWER7 has no msgclrp.
 */
function msgclrp(ctx: StepContext, v: Vcpu, rb: number | undefined, now: number): string | null {
  if (!inGuest(v)) return 'the vcpu is not executing guest code'
  const th = v.thread as HwThread
  const processor = ctx.s.host.processor
  const event = (
    cleared: boolean,
    ignored: boolean,
    source: string,
    note?: string,
  ): MsgclrpEvent => ({
    kind: 'msgclrp',
    at: now,
    vcpu: v.id,
    cleared,
    ignored,
    track: th.track.id,
    source,
    confidence: 'source',
    note,
  })
  if (processor === 'POWER7') {
    ctx.rec.event(event(false, true, SRC.noMsgsndp, 'POWER7 has no msgclrp'))
    return null
  }
  if (processor === 'POWER9') {
    const operand = rb ?? DBELL_SERVER_RB
    const type = (operand >>> 27) & P9_MASKS[ctx.s.kvm.doorbellMasks].type
    if (type !== 5) {
      ctx.rec.event(
        event(false, true, SRC.msgsndpP9, `message type ${type} is not PPC_DBELL_SERVER (5)`),
      )
    } else {
      ctx.rec.event(event(v.doorbellPending, false, SRC.msgsndpP9))
      v.doorbellPending = false
    }
    ctx.flow.exitThread(th, 'hfac')
    return null
  }
  ctx.rec.event(
    event(
      v.doorbellPending,
      false,
      'msgclrp acts on the issuing thread (Power ISA 2.07; QEMU 5ba7ba1d "target/ppc: Add privileged message send facilities")',
    ),
  )
  v.doorbellPending = false
  return null
}

/** A TIR read with every field in one fixed order. */
function tirRead(
  at: number,
  th: HwThread,
  vcpu: number,
  value: number | null,
  expected: number,
  source: string,
  confidence: TirReadEvent['confidence'],
  note?: string,
): TirReadEvent {
  return {
    kind: 'tir-read',
    at,
    vcpu,
    value,
    expected,
    ok: value === null || value === expected,
    track: th.track.id,
    source,
    confidence,
    note,
  }
}

function readTir(ctx: StepContext, v: Vcpu, now: number): string | null {
  if (!inGuest(v)) return 'the vcpu is not executing guest code'
  const th = v.thread as HwThread
  const { processor } = ctx.s.host
  if (processor === 'POWER7') {
    ctx.rec.event(
      tirRead(
        now,
        th,
        v.id,
        null,
        v.guestThread,
        SRC.tir,
        'model',
        'the research covers TIR on POWER8 and POWER9 only',
      ),
    )
    return null
  }
  if (processor === 'POWER9') {
    const expected = v.id % ctx.s.kvm.emulSmtMode
    ctx.rec.event(
      tirRead(
        now,
        th,
        v.id,
        emulatedTir(v.id, ctx.s.kvm.emulSmtMode),
        expected,
        SRC.msgsndpP9,
        'source',
      ),
    )
    ctx.flow.exitThread(th, 'hfac')
    return null
  }
  // TIR is the thread's number within its (sub)core, the dynamic subcore of a split run (PACA ptid).
  const value = th.ptid
  const piggy = v.vcore.record?.runBy !== undefined && v.vcore.numThreads === 1
  const note =
    piggy && value !== v.guestThread
      ? `vcore ${v.vcore.id} is piggybacked on thread ${value} of the subcore; can_piggyback allows that only for 1-thread vcores on POWER8, whose guest has no sibling to address (ec257165)`
      : undefined
  ctx.rec.event(tirRead(now, th, v.id, value, v.guestThread, SRC.tir, 'derived', note))
  return null
}

/**
 * The seeded random workload: each vcpu draws its next action after an exponential delay whose
 * mean is 1000 / (sum of `rates`) ticks, and picks the verb in proportion to its rate. An action
 * with nothing to act on (a cede while not in the guest) is counted, not recorded. A doorbell's tag
 * names a sibling that exists (`siblingTagsOnly`) or any thread number of the guest's core.
 */
export function randomWorkload(
  ctx: StepContext,
  sim: {
    readonly now: number
    readonly rng: Prng
    at(tick: number, priority: number, action: () => void): void
  },
  priority: number,
): void {
  const rng = sim.rng
  const r = ctx.s.workload.random
  if (!r) return
  const verbs = (Object.keys(r.rates) as Book3sVerb[]).filter((k) => r.rates[k] > 0)
  const cumulative: number[] = []
  let total = 0
  for (const k of verbs) cumulative.push((total += r.rates[k]))
  if (total === 0) return
  const mean = 1000 / total
  const p9 = ctx.s.host.processor === 'POWER9'
  const threads = p9 ? ctx.s.kvm.emulSmtMode : ctx.s.kvm.smtMode
  for (const v of ctx.vcpuById.values()) {
    const base = v.id - (v.id % threads)
    const siblings: Vcpu[] = []
    for (let id = base; id < base + threads; id++) {
      const sib = ctx.vcpuById.get(id)
      if (sib && sib !== v) siblings.push(sib)
    }
    const fire = (): void => {
      const x = rng.next() * total
      let k = 0
      while (k < verbs.length - 1 && x >= (cumulative[k] as number)) k++
      const verb = verbs[k] as Book3sVerb
      let tag: number | undefined
      let noop = false
      if (verb === 'msgsndp') {
        if (!r.siblingTagsOnly) tag = rng.int(threads)
        else if (siblings.length > 0) tag = rng.pick(siblings).id % threads
        else noop = true
      }
      if (noop || applyVerb(ctx, v, verb, tag, undefined, sim.now) !== null) ctx.rec.randomNoops++
      const at = sim.now + rng.expTicks(mean)
      if (at <= r.until) sim.at(at, priority, fire)
    }
    const first = sim.now + rng.expTicks(mean)
    if (first <= r.until) sim.at(first, priority, fire)
  }
}

/**
 * What the workload asks the run to do, for the bound checked before a run (kernel/recordBudget):
 * the scripted steps, and the random steps `randomWorkload` is expected to draw (each vcpu draws
 * one every 1000 / (sum of rates) ticks on average until `random.until`).
 */
export function requestedWork(s: Book3sScenario): RequestedWork {
  const r = s.workload.random
  const perVcpu = r ? (r.until * Object.values(r.rates).reduce((a, b) => a + b, 0)) / 1000 : 0
  const random = Math.round(perVcpu * s.guest.vcpuIds.length)
  const steps = s.workload.steps.length
  const n = (x: number) => x.toLocaleString('en-US')
  return {
    count: steps + random,
    what:
      `${n(steps + random)} steps (${n(steps)} scripted, about ${n(random)} random: ` +
      `${n(s.guest.vcpuIds.length)} vcpus × workload.random.until × the sum of its rates / 1000)`,
    reduce: BOOK3S_REDUCE,
  }
}

/** The fields that make a Book3s run record less, named when it records too much. */
export const BOOK3S_REDUCE =
  'guest.vcpus, workload.random.rates or workload.random.until, the steps in workload.steps, or workload.until'
