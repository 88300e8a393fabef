/**
 * The state the SMP operations keep per run (smp.ts): the 2007 `call_data` and `call_lock`, the
 * generic per-CPU call queues, every smp_call_function made, and the page-table unpins.
 */
import type { CallFunctionEvent } from '../../shared/result'
import type { Recorded } from './place'
import type { Gate } from './runtime'
import type { IpiFlight } from './smp'

/** What a call-function runs on each target. */
export type Func = 'function' | 'drop_other_mm_ref' | 'stop_self'

/** One smp_call_function: the 2007 `call_data` or the generic per-target csds. */
export interface CallData {
  ev: Recorded<CallFunctionEvent>
  /** Index of `ev` in `events`. */
  index: number
  /** How many targets the caller waits for (`cpus_weight(mask)` in 2007). */
  count: number
  func: Func
  table: number | null
  gate: Gate
}

/** Per-run SMP state (a field of the Guest). */
export class SmpState {
  /** The 2007 global `call_data` pointer (never cleared: a stray IPI reads the last one). */
  callData: CallData | null = null
  /** The 2007 `call_lock` holder, and a gate that opens when it is released. */
  callLock: Gate | null = null
  /** Generic `call_single_queue` per CPU: usually one csd, held without an array. */
  readonly queues: (CallData | CallData[] | undefined)[] = []
  readonly calls: CallData[] = []
  nextTable = 1
  /** Unpins issued while some vCPU's CR3 still held the table: [event index, vCPUs]. */
  readonly unpinsInUse: { event: number; users: number[] }[] = []
  /** The source lines of EVTCHNOP_send and of an IPI, built once. */
  sendSource: string | null = null
  ipiSource: string | null = null
  /** The last handler label given out, and its vector and sender. */
  lastLabel = ''
  lastLabelVector = ''
  lastLabelFrom = -1
  /** IPI flights that have fired for the last time, reused by the next IPIs. */
  readonly flights: IpiFlight[] = []
  /** Handler span labels ("call-function from cpu 3"), by vector and sender. */
  readonly labels = new Map<string, string[]>()
}

export const NO_CALLS: readonly CallData[] = []

/** One call, or several: a CPU's queue of csds, or what its handler ran. */
export type Csds = CallData | readonly CallData[]

export function isCall(x: Csds): x is CallData {
  return !Array.isArray(x)
}
