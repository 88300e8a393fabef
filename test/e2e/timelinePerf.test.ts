/**
 * The timeline with a real run of a million spans (the book3s engine, a seeded random workload on
 * 16 vcpus: bench/cases.ts's timelineMillionDocument), in Chromium: what a frame costs zoomed out
 * and zoomed in, driven by the keys and the wheel as a person would (test/support/timelineFrames),
 * and the longest task the page runs when the result arrives. Figures are printed for the report
 * (`npm run bench` holds them to the targets: median 16 ms, worst 50 ms); the assertions only
 * guard against a frame that would make the lab feel stuck.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { timelineMillionDocument } from '../../bench/cases'
import { runInEditor, shot, startLabBrowser, type LabBrowser } from '../support/labBrowser'
import { allFrames, driveTimeline, frameStats } from '../support/timelineFrames'

let lab: LabBrowser
beforeAll(async () => {
  lab = await startLabBrowser()
})
afterAll(() => lab?.close())

describe('the timeline with a million spans', () => {
  it(
    'draws each frame in tens of milliseconds, zoomed out or in',
    { timeout: 180_000 },
    async () => {
      const { page, problems } = await lab.open({ width: 1400, height: 1000 })
      await page.evaluate(() => {
        const w = window as unknown as { longest: number }
        w.longest = 0
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) w.longest = Math.max(w.longest, e.duration)
        }).observe({ type: 'longtask', buffered: false })
      })
      const { drawnMs: runToPicture } = await runInEditor(page, timelineMillionDocument(), 120_000)
      const timeline = page.getByTestId('timeline')
      const spans = Number(await timeline.getAttribute('data-spans'))
      expect(spans).toBeGreaterThan(1_000_000)
      const longest = await page.evaluate(() => (window as unknown as { longest: number }).longest)
      const driven = await driveTimeline(page)
      // Hover over the third row: a tooltip for what is under the pointer (a span, a mark, or the
      // spans folded into that pixel).
      await timeline.locator('.timeline-plot').scrollIntoViewIfNeeded()
      const box = (await timeline.locator('.timeline-plot').boundingBox())!
      const [plotX, plotY, plotW, rowH] = ((await timeline.getAttribute('data-plot')) ?? '')
        .split(',')
        .map(Number)
      const tHover = Date.now()
      await page.mouse.move(box.x + plotX! + plotW! * 0.5, box.y + plotY! + rowH! * 2.5)
      const tooltip = page.getByTestId('timeline-tooltip')
      await tooltip.waitFor({ timeout: 5000 })
      const hover = Date.now() - tHover
      expect(await tooltip.innerText()).toMatch(/\S/)
      await shot(page, 'e2e-timeline-1m')
      await timeline.screenshot({ path: 'test-results/e2e-timeline-1m-pane.png' })

      const report = {
        spans,
        runToPictureMs: runToPicture,
        longestTaskMs: Math.round(longest),
        allFrameMs: frameStats(allFrames(driven)),
        fullFrameMs: frameStats(driven.full),
        zoomingInFrameMs: frameStats(driven.zoomingIn),
        deepZoomFrameMs: frameStats(driven.deep),
        wheelFrameMs: frameStats(driven.wheel),
        hoverMs: hover,
      }
      console.log(`[timeline-perf] ${JSON.stringify(report)}`)
      for (const s of [report.fullFrameMs, report.zoomingInFrameMs, report.deepZoomFrameMs]) {
        // A guard against a frame that would make the lab feel stuck, not a benchmark.
        expect(s.median).toBeLessThan(250)
      }
      expect(problems).toEqual([])
      await page.close()
    },
  )
})
