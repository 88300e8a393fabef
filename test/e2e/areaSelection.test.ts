/**
 * Issue 17, item 2, on a preset at 1280×720, 1440×900 and 1920×1080: dragging over some tracks
 * selects an area, shaded on their rows only, and sums it up as Perfetto does: the time each
 * track spent in each state and the sum, the events by kind and outcome; the table downloads as
 * CSV whose sums agree with its rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shot, startLabBrowser, type LabBrowser } from '../support/labBrowser'
import {
  SIZES,
  attr,
  csvRows,
  downloadText,
  dragArea,
  drawnRows,
  runPresetNow,
  timelinePlot,
} from '../support/timelineDriver'

let lab: LabBrowser
beforeAll(async () => {
  lab = await startLabBrowser()
})
afterAll(() => lab?.close())

describe.each(SIZES)('an area of the timeline at $width×$height', (size) => {
  const tag = `${size.width}x${size.height}`

  it('sums up the tracks dragged over, and downloads the table as CSV', async () => {
    const { page, problems } = await lab.open(size)
    await runPresetNow(page, 'book3s-power8-random-doorbells')
    const plot = await timelinePlot(page)
    const rows = await drawnRows(page)
    // From vcore 0's row to cpu 4's: six tracks.
    expect(rows.slice(1, 7)).toEqual(['vcore0', 'cpu0', 'cpu1', 'cpu2', 'cpu3', 'cpu4'])
    await dragArea(page, plot, 1, 0.2, 6, 0.6)
    const table = page.getByTestId('area-summary')
    await table.waitFor()
    expect(await table.getAttribute('data-tracks')).toBe('6')
    expect(Number(await attr(page, 'data-area-tracks'))).toBe(6)
    expect(await page.getByTestId('area-row').count()).toBe(6)
    expect(await page.getByTestId('area-sum').textContent()).toContain('Σ 6 tracks')
    const events = Number(await table.getAttribute('data-events'))
    expect(events).toBeGreaterThan(0)
    const counted = await page
      .getByTestId('area-event')
      .evaluateAll((rs) =>
        rs.reduce((n, r) => n + Number(r.lastElementChild!.textContent!.replace(/,/g, '')), 0),
      )
    expect(counted).toBe(events)
    await shot(page, `e2e-area-${tag}`)
    await table.scrollIntoViewIfNeeded()
    await shot(page, `e2e-area-${tag}-table`)
    const { name, text } = await downloadText(page, 'area-csv')
    expect(name).toMatch(/-area\.csv$/)
    const csv = csvRows(text)
    expect(csv[0]).toEqual(['section', 'track', 'state', 'kind', 'outcome', 'ticks', 'ns', 'count'])
    // Each state's sum is the sum of its tracks' rows.
    const sums = csv.filter((r) => r[0] === 'time' && r[1] === '(all tracks)')
    expect(sums.length).toBeGreaterThan(2)
    for (const s of sums) {
      const parts = csv.filter((r) => r[0] === 'time' && r[1] !== '(all tracks)' && r[2] === s[2])
      expect(
        parts.reduce((a, r) => a + Number(r[5]), 0),
        s[2],
      ).toBeCloseTo(Number(s[5]), 6)
    }
    const csvEvents = csv.filter((r) => r[0] === 'events').reduce((a, r) => a + Number(r[7]), 0)
    expect(csvEvents).toBe(events)
    // A click elsewhere clears the area.
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('area-summary').count()).toBe(0)
    expect(problems).toEqual([])
    await page.close()
  })
})
