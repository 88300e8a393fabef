/** What JSON.parse takes silently and a scenario file must not (src/shared/files/jsonStrict.ts). */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exactInteger, nestsDeeper, strictJsonProblems } from '../../../src/shared/files/jsonStrict'
import { readJson } from '../../../src/shared/files/jsonText'
import { PRESETS_DIR } from '../../../src/services/paths'
import { cli } from '../../support/cli'

describe('strictJsonProblems', () => {
  it('finds a key given twice, with its path and both places', () => {
    const text = '{\n  "guest": {\n    "maxVcpus": 4,\n    "maxVcpus": 8\n  }\n}'
    expect(strictJsonProblems(text).problems).toEqual([
      {
        path: 'guest.maxVcpus',
        message:
          'the key "maxVcpus" is given twice in one object (first at line 3, column 5); JSON readers keep only one of them: remove one',
        line: 4,
        column: 5,
      },
    ])
  })

  it('lets the same key live in different objects', () => {
    expect(strictJsonProblems('[{"at": 1}, {"at": 2, "x": {"at": 3}}]').problems).toEqual([])
  })

  it('finds a fraction that JSON.parse rounds to an integer, with the path of the value', () => {
    const { problems } = strictJsonProblems('{"seed": 4294967295.0000001, "xs": [1, 2.5, 3e-400]}')
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [
        'seed',
        '4294967295.0000001 is not an integer, but JSON readers round it to 4294967295: write the number you mean',
      ],
      [
        'xs[2]',
        '3e-400 is not an integer, but JSON readers round it to 0: write the number you mean',
      ],
    ])
  })

  it('knows which literals are integers in decimal', () => {
    const table: [string, boolean][] = [
      ['2.0', true],
      ['1e3', true],
      ['120e-1', true],
      ['10.50e1', true],
      ['-3.000', true],
      ['0e5', true],
      ['125e-1', false],
      ['1.05e1', false],
      ['4294967295.0000001', false],
    ]
    for (const [literal, integer] of table)
      expect([literal, exactInteger(literal)]).toEqual([literal, integer])
  })

  it('lists 20 problems, then a count', () => {
    const text = `{${Array.from({ length: 30 }, () => '"a": 1').join(', ')}}`
    const found = strictJsonProblems(text)
    expect(found.problems).toHaveLength(20)
    expect(found.more).toBe(9)
    const read = readJson(text)
    expect(!read.ok && read.problems.at(-1)).toEqual({ path: '', message: '… and 9 more' })
  })

  it('finds nothing in any preset', () => {
    for (const f of readdirSync(PRESETS_DIR).filter((n) => n.endsWith('.json'))) {
      expect(strictJsonProblems(readFileSync(join(PRESETS_DIR, f), 'utf8')).problems).toEqual([])
    }
  })
})

describe('the command line refuses them (issue 19, item 5)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-strict-'))
  const preset = readFileSync(join(PRESETS_DIR, 'xen-pvhvm-normal-boot.json'), 'utf8')

  it('a key given twice: exit 2, the path and both places, nothing run', async () => {
    const file = join(dir, 'twice.json')
    writeFileSync(file, preset.replace('"seed": 1,', '"seed": 1,\n  "seed": 2,'))
    const out = await cli('run', file)
    expect(out.code).toBe(2)
    expect(out.stdout).toBe('')
    expect(out.stderr).toMatch(
      /twice\.json: seed: the key "seed" is given twice in one object \(first at line \d+, column 3\); .* \(line \d+, column 3\)/,
    )
  })

  it('a seed of 4294967295.0000001: exit 2 (JSON.parse alone reads the largest seed allowed)', async () => {
    const file = join(dir, 'seed.json')
    writeFileSync(file, preset.replace('"seed": 1,', '"seed": 4294967295.0000001,'))
    expect(JSON.parse(readFileSync(file, 'utf8')).seed).toBe(4294967295)
    const out = await cli('run', file)
    expect(out.code).toBe(2)
    expect(out.stderr).toMatch(/seed: 4294967295\.0000001 is not an integer/)
  })
})

describe('deep texts', () => {
  it('leaves a text nested 60,000 deep to the scenario check instead of overflowing the stack', () => {
    const deep = `{"name": "a", "name": "b", "x": ${'['.repeat(60_000)}${']'.repeat(60_000)}}`
    expect(strictJsonProblems(deep)).toEqual({ problems: [], more: 0 })
    expect(nestsDeeper(deep, 256)).toBe(true)
    expect(nestsDeeper('{"a": "[[[[[[", "b": [[1]]}', 3)).toBe(false)
    expect(nestsDeeper('{"a": "\\"[[[[", "b": [[[1]]]}', 3)).toBe(true)
  })
})
