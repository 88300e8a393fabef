/** Real presets and their real results (the engines run in the test), for the component tests. */
import { runDocument } from '../../src/services/runDocument'
import type { PresetSummary } from '../../src/shared/contract'
import type { RunResult } from '../../src/shared/result'
import { designOf, parseScenario } from '../../src/shared/scenario'

const FILES = import.meta.glob('../../resources/presets/*.json', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>

export const PRESET_IDS = Object.keys(FILES)
  .map((f) => f.replace(/^.*\/(.+)\.json$/, '$1'))
  .sort()

export function presetDoc(id: string): Record<string, unknown> {
  const text = FILES[`../../resources/presets/${id}.json`]
  if (text === undefined) throw new Error(`no preset ${id}`)
  return JSON.parse(text) as Record<string, unknown>
}

export function presetSummary(id: string): PresetSummary {
  const parsed = parseScenario(presetDoc(id))
  if (!parsed.ok) throw new Error(`${id} is not valid`)
  const s = parsed.scenario
  return { id, name: s.name, description: s.description, engine: s.engine, design: designOf(s) }
}

export function presetRun(id: string, design?: string): RunResult {
  const out = runDocument(presetDoc(id), design)
  if (!out.ok) throw new Error(out.error.message)
  return out.value
}

export const DOORBELL = 'book3s-power8-doorbell-first-come'
export const ALIGNED = 'book3s-power8-aligned-vcores'
export const ARM_REGRESSION = 'xen-arm-regression-minus-one'
