/**
 * The fuzz corpus (test/support/fuzzCorpus.ts, seeded, from the presets) through the paths a file
 * takes: read as text, validated, run. Whatever the file, the answer is data: a result, or
 * problems with paths, or a refusal naming what to reduce; never an internal error or a throw,
 * never a raw control character in a message, never more than 200 problems listed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runDocument } from '../../src/services/runDocument'
import { parseJsonText } from '../../src/shared/files/jsonText'
import { problemLine } from '../../src/shared/scenario'
import { cli } from '../support/cli'
import { MUTATIONS, fuzzCorpus, type FuzzItem } from '../support/fuzzCorpus'

const SEED = 20261207
/** Small, so that the scaled-up mutations reach it in milliseconds. */
const RECORD_LIMIT = 20_000
// eslint-disable-next-line no-control-regex -- looking for them
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

type Verdict = 'ok' | 'unreadable' | 'invalid-scenario' | 'too-large' | 'run-failed' | 'other'

/** A corpus item through read, validate and run, with the invariants checked on the way. */
function verdict(item: FuzzItem): Verdict {
  const read = parseJsonText(item.text, 'fuzz.json')
  if (!read.ok) {
    expect(read.message, item.id).not.toMatch(RAW_CONTROL)
    expect(read.message.split('\n').length, item.id).toBeLessThanOrEqual(21)
    return 'unreadable'
  }
  const out = runDocument(read.document, undefined, { maxRecorded: RECORD_LIMIT })
  if (out.ok) return 'ok'
  expect(out.error.code, `${item.id}: ${out.error.message}`).not.toBe('internal')
  expect(out.error.message, item.id).not.toMatch(RAW_CONTROL)
  if (out.error.code === 'invalid-scenario') {
    const problems = out.error.problems ?? []
    expect(problems.length, item.id).toBeGreaterThan(0)
    expect(problems.length, item.id).toBeLessThanOrEqual(201)
    for (const p of problems) {
      const line = problemLine(p)
      expect(line, item.id).not.toMatch(RAW_CONTROL)
      expect(line.length, item.id).toBeLessThan(600)
    }
    return 'invalid-scenario'
  }
  return out.error.code === 'too-large' || out.error.code === 'run-failed'
    ? out.error.code
    : 'other'
}

describe('the fuzz corpus (issue 19)', { timeout: 240_000 }, () => {
  const corpus = fuzzCorpus(SEED)

  it('is the same for the same seed, and has every mutation of every preset', () => {
    const again = fuzzCorpus(SEED)
    expect(again.map((i) => i.text)).toEqual(corpus.map((i) => i.text))
    expect(new Set(corpus.map((i) => i.mutation))).toEqual(new Set(MUTATIONS))
    expect(corpus.length % MUTATIONS.length).toBe(0)
  })

  it('answers every item as data, and each class of mutation the way it should', () => {
    const seen = new Map<string, Map<Verdict, number>>()
    for (const item of corpus) {
      const v = verdict(item)
      const byVerdict = seen.get(item.mutation) ?? new Map<Verdict, number>()
      byVerdict.set(v, (byVerdict.get(v) ?? 0) + 1)
      seen.set(item.mutation, byVerdict)
    }
    const only = (m: string) => [...(seen.get(m)?.keys() ?? [])].sort()
    // What each class must come to, whichever field the seed picked.
    expect(only('non-integer')).toEqual(['unreadable'])
    expect(only('duplicate-key')).toEqual(['unreadable'])
    expect(only('truncated')).toEqual(['unreadable'])
    expect(only('control-chars')).toEqual(['invalid-scenario'])
    expect(only('odd-key')).toEqual(['invalid-scenario'])
    expect(only('bom')).toEqual(['ok'])
    expect(only('scaled-up')).toEqual(['too-large'])
    expect(only('deep-nesting')).not.toContain('other')
    for (const [m, byVerdict] of seen) expect([m, byVerdict.has('other')]).toEqual([m, false])
  })

  it('gives exit 0 or 2 on the command line, never 1, for a sample of the corpus', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-fuzz-'))
    const sample = corpus.filter((_, i) => i % 7 === 0 && !corpus[i]!.id.endsWith('#scaled-up'))
    for (const item of sample) {
      const file = join(dir, 'item.json')
      writeFileSync(file, item.text)
      const out = await cli('run', file, '--compact')
      expect([item.id, [0, 2].includes(out.code)]).toEqual([item.id, true])
      expect(out.stderr, item.id).not.toMatch(RAW_CONTROL)
    }
  })
})
