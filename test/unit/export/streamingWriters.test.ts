/**
 * The Chrome trace and the CSV of every preset, pinned by digest: the writers in chunks (issue 16,
 * item 3) must give the bytes the whole-string writers gave. After an intended change to a golden
 * result, `npx vitest run --project unit -u test/unit/export/streamingWriters.test.ts`.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { eventsToCsv } from '../../../src/shared/export/csv'
import { toTrace } from '../../../src/shared/export/trace'
import { allPresetRuns } from '../../support/presetRuns'

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')
const runs = allPresetRuns()

describe('the Chrome trace and the CSV of every preset', () => {
  it.each(runs)('%s: the bytes as pinned', (_id, r) => {
    expect({ trace: sha(JSON.stringify(toTrace(r))), csv: sha(eventsToCsv(r)) }).toMatchSnapshot()
  })
})
