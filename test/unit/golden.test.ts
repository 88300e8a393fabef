/**
 * Every preset is a golden scenario: its run result must equal the checked-in one byte for byte.
 * After an intended change: `npm run golden:update`, then read the diff.
 */
import { PRESET_ID } from '../../src/services/presets'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runDocument } from '../../src/services/runDocument'
import { PRESETS_DIR, PROJECT_ROOT } from '../../src/services/paths'

const GOLDEN = join(PROJECT_ROOT, 'test', 'golden')
const presets = readdirSync(PRESETS_DIR)
  .filter((n) => n.endsWith('.json'))
  .sort()

describe('golden results of the presets', () => {
  it('has at least one preset per engine that is built', () => {
    expect(presets.some((p) => p.startsWith('book3s-'))).toBe(true)
  })

  it.each(presets)('%s matches test/golden', (name) => {
    const doc = JSON.parse(readFileSync(join(PRESETS_DIR, name), 'utf8')) as unknown
    const r = runDocument(doc)
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true)
    if (!r.ok) return
    const file = join(GOLDEN, name)
    expect(existsSync(file), `missing ${file}: run npm run golden:update`).toBe(true)
    expect(JSON.stringify(r.value, null, 2) + '\n').toBe(readFileSync(file, 'utf8'))
  })

  it('names every preset file as the preset list accepts it (no dot, or it would vanish from the lab)', () => {
    const bad = presets.map((n) => n.slice(0, -5)).filter((id) => !PRESET_ID.test(id))
    expect(bad).toEqual([])
  })

  it('has no golden file without its preset', () => {
    const golden = readdirSync(GOLDEN).filter((n) => n.endsWith('.json'))
    expect(golden.filter((g) => !presets.includes(g))).toEqual([])
  })
})
