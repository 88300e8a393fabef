/** The built-in presets and their real results, for tests in Node. */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PRESETS_DIR } from '../../src/services/paths'
import { runDocument } from '../../src/services/runDocument'
import type { Book3sRunResult, RunResult, XenRunResult } from '../../src/shared/result'

export function presetDoc(id: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(PRESETS_DIR, `${id}.json`), 'utf8')) as Record<
    string,
    unknown
  >
}

export function presetRun(id: string, design?: string): RunResult {
  const out = runDocument(presetDoc(id), design)
  if (!out.ok) throw new Error(`${id}: ${out.error.message}`)
  return out.value
}

/** Every built-in preset's id and run result, in file-name order. */
export function allPresetRuns(): [string, RunResult][] {
  return readdirSync(PRESETS_DIR)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => n.slice(0, -'.json'.length))
    .map((id) => [id, presetRun(id)])
}

export const xenRun = (id: string) => presetRun(id) as XenRunResult
export const book3sRun = (id: string) => presetRun(id) as Book3sRunResult

/** Xen test vector 6: ARM, 2 vCPUs, FIFO, 88e957d6 with -1 before the id is set. */
export const ARM_REGRESSION = 'xen-arm-regression-minus-one'
/** Xen test vector 3: kdump on vCPU 2 without the mapping. */
export const KDUMP_RAW = 'xen-pvhvm-kdump-vcpu2-raw'
