/**
 * The chart options of every golden result, pinned: a change to the option builders that should
 * not change a picture (a refactor) keeps every digest. After an intended change to a chart or a
 * golden result, `npx vitest run --project unit -u test/unit/charts/presetFigures.test.ts`, and
 * look at the figures (`npm run -s lab -- export <preset> --svg out.svg`).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../../src/services/paths'
import type { RunResult } from '../../../src/shared/result'
import { chartVariants } from '../../support/chartVariants'
import { optionDigest } from '../../support/optionSnapshot'

const GOLDEN = join(PROJECT_ROOT, 'test', 'golden')
const golden = readdirSync(GOLDEN)
  .filter((n) => n.endsWith('.json'))
  .sort()

describe('the chart options of the golden results', () => {
  it.each(golden)('%s draws as pinned', (name) => {
    const result = JSON.parse(readFileSync(join(GOLDEN, name), 'utf8')) as RunResult
    const variants = chartVariants(result)
    const digests = Object.fromEntries(
      Object.entries(variants).map(([k, option]) => [k, optionDigest(option)]),
    )
    expect(Object.keys(digests)).toEqual([
      'layout light',
      'timeline light',
      'layout dark 700',
      'timeline dark 700',
      'timeline selected',
      'layout selected',
    ])
    expect(digests).toMatchSnapshot()
  })
})
