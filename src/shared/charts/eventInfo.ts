/**
 * What the views say about an instant event, generic over `RunResult.events`: a status (went as
 * meant, went wrong, neither), a one-line summary and the numbers a filter can match. Kinds the
 * lab knows (FORMATS.md) get a precise wording; any other kind still shows with its own fields,
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

export function eventInfo(e: AnyEvent): EventInfo {
  const f = e as Record<string, unknown>
  // Read by dot access: the build's import scanner mistakes a quoted field named like the
  // keyword for an import.
  const numbers = [f.cpu, f.vcpu, f.onVcpu, f.from, f.to, f.intended, f.deliveredTo, f.thread]
    .map(num)
    .filter((n): n is number => n !== null)
  const targets = f.targets
  if (Array.isArray(targets))
    numbers.push(...targets.filter((t): t is number => typeof t === 'number'))
  switch (e.kind) {
    case 'hypercall': {
      const rc = num(f.rc) ?? 0
      const errno = f.errno
      const vcpu = num(f.vcpu)
      return {
        status: rc === 0 ? 'ok' : 'bad',
        title: `${String(f.op)}(${vcpu === null ? '' : `vcpu ${vcpuArg(vcpu)}`})`,
        result: rc === 0 ? '0' : `${rc}${typeof errno === 'string' ? ` (-${errno})` : ''}`,
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
        status: outcome === 'delivered' ? 'ok' : outcome === 'ignored' ? 'neutral' : 'bad',
        title: `msgsndp from vcpu ${String(f.from)}, tag ${String(f.tag)}`,
        result,
        numbers,
      }
    }
    case 'latecomer':
      return {
        status: 'neutral',
        title: `vcpu ${String(f.vcpu)} joins running vcore ${String(f.vcore)}`,
        result: `on thread ${String(f.thread)}`,
        numbers,
      }
    case 'ipi': {
      const to = num(f.to)
      const got = num(f.deliveredToCpu)
      return {
        status: got === to ? 'ok' : 'bad',
        title: `${String(f.vector)} IPI cpu ${String(f.from)} → cpu ${to}`,
        result:
          got === null
            ? `never delivered (bound to vCPU ${String(f.boundVcpu)})`
            : got === to
              ? `delivered to cpu ${got}`
              : `delivered to cpu ${got}, not ${to}`,
        numbers,
      }
    }
    case 'call-function': {
      const n = Array.isArray(targets) ? targets.length : 0
      const started = num(f.started) ?? 0
      const finished = num(f.finished) ?? 0
      return {
        status: started === n && (f.wait === false || finished === n) ? 'ok' : 'bad',
        title: `smp_call_function from cpu ${String(f.from)} to ${n} CPU(s)`,
        result: `started ${started}/${n}, finished ${finished}/${n}`,
        numbers,
      }
    }
    case 'tir-read':
      return {
        status: f.ok === false ? 'bad' : 'ok',
        title: `vcpu ${String(f.vcpu)} reads its thread number (TIR)`,
        result:
          f.value === null || f.value === undefined
            ? `the model does not say (guest expects ${String(f.expected)})`
            : f.ok === false
              ? `${String(f.value)}, but the guest expects ${String(f.expected)}`
              : String(f.value),
        numbers,
      }
    case 'msgclrp':
      return {
        status: 'neutral',
        title: `vcpu ${String(f.vcpu)} clears its doorbell (msgclrp)`,
        result: f.ignored
          ? 'ignored'
          : f.cleared
            ? 'a pending doorbell cleared'
            : 'nothing pending',
        numbers,
      }
    case 'cede':
      return {
        status: 'neutral',
        title: `vcpu ${String(f.vcpu)} cedes (H_CEDE) on thread ${String(f.thread)}`,
        result:
          f.outcome === 'exit-to-host'
            ? 'last to cede: takes the vcore out'
            : f.outcome === 'cancelled-by-prod'
              ? 'cancelled by an earlier prod'
              : 'naps',
        numbers,
      }
    case 'exit-sync':
      return {
        status: 'neutral',
        title: `thread ${String(f.thread)} exits first (${String(f.trap)}): vcore ${String(f.vcore)} leaves the guest`,
        result: `HDEC to ${Array.isArray(f.hdec) ? f.hdec.length : 0} thread(s), IPI to ${Array.isArray(f.ipi) ? f.ipi.length : 0} napping`,
        numbers,
      }
    case 'secondary-too-late':
      return {
        status: 'bad',
        title: `thread ${String(f.thread)} arrives after the first exit (secondary_too_late)`,
        result: f.vcpu === null ? 'never entered' : `vcpu ${String(f.vcpu)} never entered`,
        numbers,
      }
    case 'step-skipped':
      return {
        status: 'neutral',
        title: `step “${String(f.do)}” of vcpu ${String(f.vcpu)} skipped`,
        result: String(f.reason ?? ''),
        numbers,
      }
    case 'lazy-tlb-drop':
      return {
        status: 'neutral',
        title: `cpu ${String(f.cpu)} drops its lazy mm`,
        result: '',
        numbers,
      }
    default:
      return genericInfo(e, numbers)
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

/** Any other kind: the status from `ok`, `rc` or `outcome` when present; its fields as text. */
function genericInfo(e: AnyEvent, numbers: number[]): EventInfo {
  const f = e as Record<string, unknown>
  const okField = f.ok
  const rc = num(f.rc)
  const outcome = f.outcome
  const status: EventStatus =
    okField === false || (rc !== null && rc !== 0)
      ? 'bad'
      : okField === true || rc === 0
        ? 'ok'
        : 'neutral'
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
