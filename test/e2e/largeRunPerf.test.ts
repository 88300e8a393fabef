/**
 * The bench's large runs in the lab, as a person meets them (issue 16, item 4): click Run in the
 * browser preview and wait for the timeline's first frame. Figures are logged for the report,
 * never asserted as times: the request's own timing from the page's resource entry (until the
 * last byte of the answer), when the status says it ran (the result unpacked and in the store),
 * and the first frame. The assertions are about what was drawn.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CASES } from '../../bench/cases'
import { runInEditor, startLabBrowser, type LabBrowser } from '../support/labBrowser'

let lab: LabBrowser
beforeAll(async () => {
  lab = await startLabBrowser()
})
afterAll(() => lab?.close())

describe('the bench cases in the lab', () => {
  it.each(CASES.map((c) => [c.name, c] as const))(
    '%s: Run, then the timeline drawn',
    { timeout: 300_000 },
    async (name, c) => {
      const { page, problems } = await lab.open({ width: 1400, height: 1000 })
      const { ranMs: ran, drawnMs: drawn } = await runInEditor(page, c.document(), 240_000)
      const timeline = page.getByTestId('timeline')
      const spans = Number(await timeline.getAttribute('data-spans'))
      const request = await page.evaluate(() => {
        const e = performance
          .getEntriesByType('resource')
          .find((x) => x.name.endsWith('/api/run')) as PerformanceResourceTiming | undefined
        const heap = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory
        const measured = (name: string) => {
          const m = performance.getEntriesByName(name).at(-1)
          return m ? Math.round(m.duration) : null
        }
        return {
          frameReadMs: measured('lab: frame read'),
          unpackMs: measured('lab: run unpacked'),
          toFirstByteMs: e ? Math.round(e.responseStart - e.startTime) : null,
          toLastByteMs: e ? Math.round(e.responseEnd - e.startTime) : null,
          bodyBytes: e ? e.encodedBodySize : null,
          heapMB: heap ? Math.round(heap.usedJSHeapSize / 2 ** 20) : null,
        }
      })
      const report = { case: name, spans, ...request, runToRanMs: ran, runToDrawnMs: drawn }
      console.log(`[large-run-perf] ${JSON.stringify(report)}`)
      expect(spans).toBeGreaterThan(300_000)
      expect(problems).toEqual([])
      await page.close()
    },
  )
})
