import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeFileAtomic } from '../../../src/services/atomicWrite'

describe('writeFileAtomic', () => {
  it('writes a new file and replaces an old one whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'))
    const f = join(dir, 'a.json')
    await writeFileAtomic(f, 'one')
    await writeFileAtomic(f, 'two')
    expect(readFileSync(f, 'utf8')).toBe('two')
    expect(readdirSync(dir)).toEqual(['a.json'])
  })

  it('leaves the old file whole and no temporary file when the final step fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'))
    const target = join(dir, 'target')
    mkdirSync(target)
    writeFileSync(join(target, 'inside'), 'keep')
    await expect(writeFileAtomic(target, 'new')).rejects.toThrow()
    expect(readFileSync(join(target, 'inside'), 'utf8')).toBe('keep')
    expect(readdirSync(dir)).toEqual(['target'])
  })
})
