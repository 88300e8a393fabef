/**
 * The built-in scenarios in `resources/presets/`: one JSON file each, the file name (without
 * `.json`) is the preset id. Every preset must be a valid scenario; a broken one is an internal
 * error, found first by the golden tests.
 */
import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import type { Preset, PresetSummary } from '../shared/contract'
import { designOf, parseScenario } from '../shared/scenario/scenario'
import { problemLine } from '../shared/scenario/problems'
import { parseJsonText } from './scenarioFile'

export const PRESET_ID = /^[a-z0-9][a-z0-9-]{0,79}$/

export async function listPresetIds(dir: string): Promise<string[]> {
  const names = await fs.readdir(dir)
  return names
    .filter((n) => n.endsWith('.json'))
    .map((n) => n.slice(0, -'.json'.length))
    .filter((id) => PRESET_ID.test(id))
    .sort()
}

export async function readPreset(dir: string, id: string): Promise<Preset | null> {
  if (!PRESET_ID.test(id)) return null
  let text: string
  try {
    text = await fs.readFile(join(dir, `${id}.json`), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  const parsed = parseJsonText(text, `preset ${id}`)
  if (!parsed.ok) throw new Error(parsed.message)
  return { id, scenario: parsed.document }
}

export async function listPresets(dir: string): Promise<PresetSummary[]> {
  const out: PresetSummary[] = []
  for (const id of await listPresetIds(dir)) {
    const preset = await readPreset(dir, id)
    if (!preset) continue
    const parsed = parseScenario(preset.scenario)
    if (!parsed.ok) {
      throw new Error(
        `preset ${id} is not a valid scenario: ${parsed.problems.map(problemLine).join('; ')}`,
      )
    }
    const s = parsed.scenario
    out.push({
      id,
      name: s.name,
      description: s.description,
      engine: s.engine,
      design: designOf(s),
    })
  }
  return out
}
