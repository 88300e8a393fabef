/**
 * What the views say about an instant event, generic over `RunResult.events`: a status (went as
 * meant, went wrong, neither), a one-line summary and the numbers a filter can match. Kinds the
 * lab knows (docs/result.md) get a precise wording; any other kind still shows with its own fields,
 * so a new event kind appears in the table and on the timeline without a code change.
 */
import type { LabEvent } from '../result'

export type EventStatus = 'ok' | 'bad' | 'neutral'

/** An event as the views read it: any kind, any extra fields. */
export type AnyEvent = LabEvent | ({ kind: string; at: number } & Record<string, unknown>)

export interface EventInfo {
  status: EventStatus
  /** What happened, in a few words: `EVTCHNOP_init_control(vcpu 4294967295)`. */
  title: string
  /** How it ended: `-ENOENT`, `misdelivered to vcpu 9`, `delivered`. */
  result: string
  /** Every CPU, vcpu or thread number the event names, for the table's CPU/vcpu filter. */
  numbers: number[]
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null)

/** The vCPU argument as Xen reads it: an unsigned 32-bit number, so -1 shows as 4294967295. */
export function vcpuArg(v: number | null): string {
  if (v === null) return '—'
  return v === 0xffffffff ? '4294967295 (-1)' : String(v)
}

/**
 * Whether an event went as meant, went wrong, or neither: cheap (no text), so a table can filter
 * hundreds of thousands of events by it.
 */
export function eventStatus(e: AnyEvent): EventStatus {
  const f = e as Record<string, unknown>
  switch (e.kind) {
    case 'hypercall':
      // Only a negative return is an error: VCPUOP_is_up answers 1 for a vCPU that is up
      // (xen/common/domain.c:do_vcpu_op, `rc = !(v->pause_flags & VPF_down)`).
      return (num(f.rc) ?? 0) < 0 ? 'bad' : 'ok'
    case 'doorbell':
      return f.outcome === 'delivered' ? 'ok' : f.outcome === 'ignored' ? 'neutral' : 'bad'
    case 'tir-read':
      return f.ok === false ? 'bad' : 'ok'
    case 'secondary-too-late':
      return 'bad'
    case 'ipi':
      if (typeof f.outcome === 'string') {
        return f.outcome === 'delivered' ? 'ok' : f.outcome === 'not-sent' ? 'neutral' : 'bad'
      }
      return f.deliveredToCpu === f.to ? 'ok' : 'bad'
    case 'call-function': {
      if (f.hung === true) return 'bad'
      const n = Array.isArray(f.targets) ? f.targets.length : 0
      return f.started === n && (f.wait === false || f.finished === n) ? 'ok' : 'bad'
    }
    case 'cpu-state':
      return f.state === 'failed' ? 'bad' : f.state === 'online' ? 'ok' : 'neutral'
    case 'bug':
      return 'bad'
    case 'soft-reset':
      return f.supported === false ? 'bad' : 'neutral'
    case 'step':
      return f.outcome === 'ran' ? 'ok' : f.outcome === 'refused' ? 'bad' : 'neutral'
    case 'vcpu-id':
    case 'ap-start':
    case 'latecomer':
    case 'msgclrp':
    case 'cede':
    case 'exit-sync':
    case 'step-skipped':
    case 'step-delayed':
    case 'vcore-wait':
    case 'vcore-preempted':
    case 'lazy-tlb-drop':
      return 'neutral'
    default: {
      const rc = num(f.rc)
      if (f.ok === false || (rc !== null && rc < 0)) return 'bad'
      return f.ok === true || (rc !== null && rc >= 0) ? 'ok' : 'neutral'
    }
  }
}

/** Every CPU, vcpu or thread number an event names. */
export function eventNumbers(e: AnyEvent): number[] {
  const f = e as Record<string, unknown>
  const numbers = [
    f.cpu,
    f.vcpu,
    f.onVcpu,
    f.forCpu,
    f.from,
    f.to,
    f.intended,
    f.deliveredTo,
    f.deliveredToCpu,
    f.boundVcpu,
    f.thread,
    f.crashedVcpu,
  ]
    .map(num)
    .filter((n): n is number => n !== null)
  if (Array.isArray(f.targets))
    numbers.push(...f.targets.filter((t): t is number => typeof t === 'number'))
  return numbers
}

export function eventInfo(e: AnyEvent): EventInfo {
  const f = e as Record<string, unknown>
  const status = eventStatus(e)
  const numbers = eventNumbers(e)
  const targets = f.targets
  switch (e.kind) {
    case 'hypercall': {
      const rc = num(f.rc) ?? 0
      const errno = f.errno
      const vcpu = num(f.vcpu)
      return {
        title:
          `${String(f.op)}(${vcpu === null ? '' : `vcpu ${vcpuArg(vcpu)}`}${typeof f.what === 'string' ? `, ${f.what}` : ''})` +
          (typeof f.forCpu === 'number' && f.forCpu !== f.cpu ? ` for cpu ${f.forCpu}` : ''),
        result: rc === 0 ? '0' : `${rc}${typeof errno === 'string' ? ` (-${errno})` : ''}`,
        status,
        numbers,
      }
    }
    case 'doorbell': {
      const outcome = String(f.outcome)
      const to = num(f.deliveredTo)
      const intended = num(f.intended)
      const thread = num(f.thread)
      const result =
        outcome === 'delivered'
          ? `delivered to vcpu ${to}`
          : outcome === 'misdelivered'
            ? `misdelivered to vcpu ${to}${intended === null ? '' : ` (meant for vcpu ${intended})`}`
            : outcome === 'lost'
              ? `lost on thread ${thread ?? '?'}${intended === null ? '' : ` (meant for vcpu ${intended})`}`
              : outcome
      return {
        title: `msgsndp from vcpu ${String(f.from)}, tag ${String(f.tag)}`,
        result,
        status,
        numbers,
      }
    }
    case 'latecomer':
      return {
        title: `vcpu ${String(f.vcpu)} joins running vcore ${String(f.vcore)}`,
        result: `on thread ${String(f.thread)}`,
        status,
        numbers,
      }
    case 'ipi': {
      const to = num(f.to)
      const got = num(f.deliveredToCpu)
      const outcome = typeof f.outcome === 'string' ? f.outcome : null
      const cause = typeof f.cause === 'string' ? `: ${f.cause}` : ''
      return {
        title: `${String(f.vector)} IPI cpu ${String(f.from)} → cpu ${to}`,
        result:
          outcome === 'not-sent'
            ? `not sent${cause}`
            : got === null
              ? `never seen (bound to vCPU ${vcpuArg(num(f.boundVcpu))})${cause}`
              : got === to
                ? `delivered to cpu ${got}`
                : `delivered to cpu ${got}, not ${to}${cause}`,
        status,
        numbers,
      }
    }
    case 'call-function': {
      const n = Array.isArray(targets) ? targets.length : 0
      const started = num(f.started) ?? 0
      const finished = num(f.finished) ?? 0
      return {
        title: `smp_call_function${typeof f.func === 'string' ? ` (${f.func})` : ''} from cpu ${String(f.from)} to ${n} CPU(s)`,
        result:
          `started ${started}/${n}, finished ${finished}/${n}` +
          (f.hung === true ? ': the caller hangs' : ''),
        status,
        numbers,
      }
    }
    case 'tir-read':
      return {
        title: `vcpu ${String(f.vcpu)} reads its thread number (TIR)`,
        result:
          f.value === null || f.value === undefined
            ? `the model does not say (guest expects ${String(f.expected)})`
            : f.ok === false
              ? `${String(f.value)}, but the guest expects ${String(f.expected)}`
              : String(f.value),
        status,
        numbers,
      }
    case 'msgclrp':
      return {
        title: `vcpu ${String(f.vcpu)} clears its doorbell (msgclrp)`,
        result: f.ignored
          ? 'ignored'
          : f.cleared
            ? 'a pending doorbell cleared'
            : 'nothing pending',
        status,
        numbers,
      }
    case 'cede':
      return {
        title: `vcpu ${String(f.vcpu)} cedes (H_CEDE) on thread ${String(f.thread)}`,
        result:
          f.outcome === 'exit-to-host'
            ? 'last to cede: takes the vcore out'
            : f.outcome === 'cancelled-by-prod'
              ? 'cancelled by an earlier prod'
              : 'naps',
        status,
        numbers,
      }
    case 'exit-sync':
      return {
        title: `thread ${String(f.thread)} exits first (${String(f.trap)}): vcore ${String(f.vcore)} leaves the guest`,
        result: `HDEC to ${Array.isArray(f.hdec) ? f.hdec.length : 0} thread(s), IPI to ${Array.isArray(f.ipi) ? f.ipi.length : 0} napping`,
        status,
        numbers,
      }
    case 'secondary-too-late':
      return {
        title: `thread ${String(f.thread)} arrives after the first exit (secondary_too_late)`,
        result: f.vcpu === null ? 'never entered' : `vcpu ${String(f.vcpu)} never entered`,
        status,
        numbers,
      }
    case 'step-skipped':
      return {
        title: `step “${String(f.do)}” of vcpu ${String(f.vcpu)} skipped`,
        result: String(f.reason ?? ''),
        status,
        numbers,
      }
    case 'step-delayed':
      return {
        title: `step “${String(f.do)}” of vcpu ${String(f.vcpu)} delayed`,
        result: `ran ${String(f.delay)} ticks late: ${String(f.reason ?? '')}`,
        status,
        numbers,
      }
    case 'vcore-wait':
      return {
        title: `vcore ${String(f.vcore)} waits for a free (sub)core`,
        result: `runner vcpu ${f.runner === null ? '—' : String(f.runner)}; next host tick at ${String(f.nextHostTick)}, slice ${String(f.sliceTicks)} ticks`,
        status,
        numbers,
      }
    case 'vcore-preempted':
      return {
        title: `vcore ${String(f.vcore)} preempted on core ${String(f.core)}${num(f.subcore) ? ` subcore ${String(f.subcore)}` : ''}`,
        result: `after ${String(f.heldFor)} ticks; vcore ${String(f.by)} runs next`,
        status,
        numbers,
      }
    case 'vcpu-id':
      return {
        title: `cpu ${String(f.cpu)}: xen_vcpu_id = ${vcpuArg(num(f.vcpu))}`,
        result: `from ${String(f.via)}`,
        status,
        numbers,
      }
    case 'ap-start':
      return {
        title: `cpu ${String(f.from)} starts cpu ${String(f.to)} (${String(f.method)})`,
        result: `on vCPU ${String(f.vcpu)}${typeof f.apicId === 'number' ? `, APIC ${f.apicId}` : ''}`,
        status,
        numbers,
      }
    case 'cpu-state':
      return {
        title: `cpu ${String(f.cpu)} ${String(f.state)}`,
        result: typeof f.reason === 'string' ? f.reason : '',
        status,
        numbers,
      }
    case 'bug':
      return {
        title: `cpu ${String(f.cpu)}: ${String(f.where)}`,
        result: f.panic === true ? 'the guest panics' : 'WARN',
        status,
        numbers,
      }
    case 'soft-reset':
      return {
        title: `soft reset for a crash kernel on vCPU ${String(f.crashedVcpu)}`,
        result:
          f.supported === false
            ? 'not supported by this Xen'
            : `vCPUs left down: ${Array.isArray(f.downVcpus) ? f.downVcpus.join(', ') : ''}`,
        status,
        numbers,
      }
    case 'step':
      return {
        title: `step ${String(f.step)}: ${String(f.do)} on cpu ${String(f.cpu)}`,
        result: `${String(f.outcome)}${typeof f.reason === 'string' ? `: ${f.reason}` : ''}`,
        status,
        numbers,
      }
    case 'lazy-tlb-drop':
      return {
        title: `cpu ${String(f.cpu)} drops its lazy mm`,
        result: '',
        status,
        numbers,
      }
    default:
      return genericInfo(e, status, numbers)
  }
}

/** Fields every event may carry that say where and on what authority, not what happened. */
const HIDDEN_FIELDS = new Set([
  'kind',
  'at',
  'source',
  'ok',
  'outcome',
  'track',
  'toTrack',
  'toTracks',
  'confidence',
  'note',
])

/** Any other kind: its own fields as text, and its outcome or return code as the result. */
function genericInfo(e: AnyEvent, status: EventStatus, numbers: number[]): EventInfo {
  const f = e as Record<string, unknown>
  const rc = num(f.rc)
  const outcome = f.outcome
  const rest = Object.entries(e)
    .filter(([k, v]) => v !== undefined && !HIDDEN_FIELDS.has(k))
    .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ')
  return {
    status,
    title: `${e.kind}${rest ? `: ${rest}` : ''}`,
    result: typeof outcome === 'string' ? outcome : rc !== null ? String(rc) : '',
    numbers,
  }
}

/** Every field of an event, for the details panel. */
export function eventFields(e: AnyEvent): [string, string][] {
  return Object.entries(e)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, v === null ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v)])
}
