/** Builders and finders for the xen engine's tests: a valid document in, a run result out. */
import { runScenario } from '../../../src/engines'
import type { HypercallEvent, XenEvent, XenRunResult } from '../../../src/shared/result'
import { parseScenario, problemLine, type XenScenario } from '../../../src/shared/scenario'
import { xenDocument, type XenDoc } from '../../support/scenarios'

export { xenDocument, type XenDoc }

export function xenScenario(d: XenDoc): XenScenario {
  const r = parseScenario(xenDocument(d))
  if (!r.ok) throw new Error(r.problems.map(problemLine).join('\n'))
  return r.scenario as XenScenario
}

export function runXenDoc(d: XenDoc): XenRunResult {
  const r = runScenario(xenScenario(d))
  if (r.engine !== 'xen') throw new Error('not a xen result')
  return r
}

export function hypercalls(r: XenRunResult): HypercallEvent[] {
  return r.events.filter((e): e is HypercallEvent => e.kind === 'hypercall')
}

/** Hypercalls made for Linux CPU `cpu`, in order, as compact "op(vcpu)=rc" strings. */
export function callsFor(r: XenRunResult, cpu: number, ops?: readonly string[]): string[] {
  return hypercalls(r)
    .filter((e) => e.forCpu === cpu && (!ops || ops.includes(e.op)))
    .map((e) => `${e.op}${e.what ? `:${e.what}` : ''}(${e.vcpu ?? '-'})=${e.rc}`)
}

export function find(r: XenRunResult, pred: (e: HypercallEvent) => boolean): HypercallEvent {
  const e = hypercalls(r).find(pred)
  if (!e) throw new Error('no such hypercall')
  return e
}

export function ofKind<K extends XenEvent['kind']>(r: XenRunResult, kind: K) {
  return r.events.filter((e): e is Extract<XenEvent, { kind: K }> => e.kind === kind)
}

export function check(r: XenRunResult, id: string) {
  const c = r.checks.find((x) => x.id === id)
  if (!c) throw new Error(`no check ${id}`)
  return c
}

export const U32_MAX = 4294967295
