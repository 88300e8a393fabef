/** Every preset file is listed: a file name that is not a preset id would silently vanish from the lab. */
import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { PRESETS_DIR } from '../../../src/services/paths'
import { PRESET_ID, listPresetIds } from '../../../src/services/presets'

describe('presets', () => {
  it('every .json in resources/presets has a name the lab lists (lower-case letters, digits and dashes)', async () => {
    const files = readdirSync(PRESETS_DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
    expect(files.filter((id) => !PRESET_ID.test(id))).toEqual([])
    expect((await listPresetIds(PRESETS_DIR)).length).toBe(files.length)
  })
})
