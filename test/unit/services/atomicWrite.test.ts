import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
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

  it('writes chunks as they come, and keeps the old file when the chunks fail midway', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'))
    const f = join(dir, 'a.json')
    await writeFileAtomic(f, ['[1,', '2,', '3]'])
    expect(readFileSync(f, 'utf8')).toBe('[1,2,3]')
    function* broken(): Generator<string> {
      yield '[4,'
      throw new Error('the producer failed')
    }
    await expect(writeFileAtomic(f, broken())).rejects.toThrow(/the producer failed/)
    expect(readFileSync(f, 'utf8')).toBe('[1,2,3]')
    expect(readdirSync(dir)).toEqual(['a.json'])
  })

  it('writes strings and bytes in the order given, each whole, while the next is made', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'))
    const f = join(dir, 'a.txt')
    const pieces = Array.from({ length: 200 }, (_, i) => `${i}:${'é'.repeat(i * 300)};`)
    function* mixed(): Generator<string | Uint8Array> {
      for (const [i, p] of pieces.entries()) yield i % 2 ? p : new TextEncoder().encode(p)
    }
    await writeFileAtomic(f, mixed())
    expect(readFileSync(f, 'utf8')).toBe(pieces.join(''))
  })
})

describe('writeFileAtomic on the odd targets a user names (issue 19, item 7)', () => {
  it('keeps the mode of the file it replaces', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'))
    const f = join(dir, 'script.sh')
    writeFileSync(f, 'old')
    chmodSync(f, 0o750)
    await writeFileAtomic(f, 'new')
    expect(statSync(f).mode & 0o777).toBe(0o750)
  })

  it('follows a symbolic link: the target changes, the link stays a link', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'))
    mkdirSync(join(dir, 'real'))
    writeFileSync(join(dir, 'real', 'a.json'), 'old')
    symlinkSync(join(dir, 'real', 'a.json'), join(dir, 'link.json'))
    await writeFileAtomic(join(dir, 'link.json'), 'new')
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true)
    expect(readFileSync(join(dir, 'real', 'a.json'), 'utf8')).toBe('new')
  })

  it('refuses device files and folders, naming the path given', async () => {
    await expect(writeFileAtomic('/dev/null', 'x')).rejects.toThrow(
      '/dev/null: refusing to write to a device or system file',
    )
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'))
    await expect(writeFileAtomic(dir, 'x')).rejects.toMatchObject({
      code: 'EISDIR',
      message: `${dir} is a folder: give a file name`,
    })
    await expect(writeFileAtomic(join(dir, 'no', 'such', 'f'), 'x')).rejects.toThrow(
      /no\/such\/f: cannot write \(its folder does not exist\)$/,
    )
  })

  it('removes temporary files a crashed write left, not those of a live writer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'))
    const dead = join(dir, '.a.json.999999.0a0b0c0d0e0f.tmp')
    const live = join(dir, `.a.json.${process.ppid}.0a0b0c0d0e0f.tmp`)
    writeFileSync(dead, 'half')
    writeFileSync(live, 'half')
    await writeFileAtomic(join(dir, 'a.json'), 'whole')
    expect(readdirSync(dir).sort()).toEqual([
      '.a.json.' + process.ppid + '.0a0b0c0d0e0f.tmp',
      'a.json',
    ])
  })
})
