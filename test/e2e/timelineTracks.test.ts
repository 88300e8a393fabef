/**
 * Issue 17, item 1, on the presets at 1280×720, 1440×900 and 1920×1080: the track area grows
 * with the window, tracks are grouped by core and (sub)core with the vcore first and fold into one
 * row, a pinned track stays on top, and Ctrl+F or `/` finds a track or event and jumps to it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shot, startLabBrowser, type LabBrowser } from '../support/labBrowser'
import {
  SIZES,
  attr,
  drawnRows,
  rowPoint,
  runPresetNow,
  timelinePlot,
} from '../support/timelineDriver'

let lab: LabBrowser
beforeAll(async () => {
  lab = await startLabBrowser()
})
afterAll(() => lab?.close())

const rowsAt: Record<number, number> = {}

describe.each(SIZES)('the timeline’s tracks at $width×$height', (size) => {
  const tag = `${size.width}x${size.height}`

  it('fills the window’s height with rows, and groups them by core and subcore', async () => {
    const { page, problems } = await lab.open(size)
    await runPresetNow(page, 'book3s-power8-random-doorbells')
    const plot = await timelinePlot(page)
    const visible = Number(await attr(page, 'data-visible-rows'))
    const rows = Number(await attr(page, 'data-rows'))
    rowsAt[size.height] = Number(await attr(page, 'data-room'))
    // Two busy cores of eight threads and two vcores, each core a group: 20 rows (the two idle
    // cores are hidden).
    expect(rows).toBe(20)
    expect(visible).toBe(Math.min(rows, rowsAt[size.height]!))
    expect(visible).toBeGreaterThanOrEqual(8)
    // The pane, scrolled to, ends inside the window.
    const pane = (await page.getByTestId('timeline').boundingBox())!
    expect(pane.y + pane.height).toBeLessThanOrEqual(size.height + 1)
    expect((await drawnRows(page)).slice(0, 3)).toEqual(['group:core0', 'vcore0', 'cpu0'])
    // Fold core 0 by its name: one row for its nine tracks.
    const p = rowPoint(plot, 0, 'label')
    await page.mouse.click(p.x, p.y)
    await expect.poll(() => drawnRows(page)).toContain('group:core0')
    expect(await drawnRows(page)).not.toContain('cpu0')
    expect(Number(await attr(page, 'data-rows'))).toBe(11)
    await shot(page, `e2e-tracks-${tag}-folded`)
    await page.mouse.click(p.x, p.y)
    await expect.poll(() => drawnRows(page)).toContain('cpu0')
    expect(problems).toEqual([])
    await page.close()
  })

  it('pins a track to the top and keeps it there while the rows scroll', async () => {
    const { page, problems } = await lab.open(size)
    await runPresetNow(page, 'book3s-power8-random-doorbells')
    const plot = await timelinePlot(page)
    const at = (await drawnRows(page)).indexOf('cpu9')
    expect(at).toBeGreaterThan(0)
    const pin = rowPoint(plot, at, 'pin')
    await page.mouse.click(pin.x, pin.y)
    await expect.poll(() => attr(page, 'data-pinned')).toBe('cpu9')
    expect((await drawnRows(page))[0]).toBe('cpu9')
    // The wheel scrolls the other rows; the pinned one stays first.
    const mid = rowPoint(plot, 3, 0.5)
    await page.mouse.move(mid.x, mid.y)
    await page.mouse.wheel(0, 300)
    await page.waitForTimeout(100)
    expect((await drawnRows(page))[0]).toBe('cpu9')
    expect((await drawnRows(page)).filter((id) => id === 'cpu9')).toHaveLength(1)
    await shot(page, `e2e-tracks-${tag}-pinned`)
    // P on the selected track unpins it (the wheel may have scrolled the page: find it again).
    const again = await timelinePlot(page)
    await page.mouse.click(rowPoint(again, 0, 'label').x + 60, rowPoint(again, 0, 'label').y)
    await expect.poll(() => attr(page, 'data-selected-tracks')).toContain('cpu9')
    await page.keyboard.press('p')
    await expect.poll(() => attr(page, 'data-pinned')).toBe('')
    expect(problems).toEqual([])
    await page.close()
  })

  it('finds a vcpu with Ctrl+F, a kind with /, and jumps to each', async () => {
    const { page, problems } = await lab.open(size)
    await runPresetNow(page, 'book3s-power8-doorbell-first-come')
    await timelinePlot(page)
    await page.keyboard.press('Control+f')
    const box = page.getByTestId('find-input')
    await box.fill('vcpu 10')
    await expect
      .poll(() => page.getByTestId('find-summary').textContent())
      .toMatch(/^vcpu 10: 1 track/)
    await shot(page, `e2e-tracks-${tag}-find`)
    await box.press('Enter')
    await expect.poll(() => attr(page, 'data-selected-tracks')).toContain('cpu1')
    // `/` from anywhere but a text field opens it too; a kind finds its events.
    await box.press('Escape')
    await expect.poll(() => page.getByTestId('find-input').count()).toBe(0)
    await page.keyboard.press('/')
    await page.getByTestId('find-input').fill('doorbell')
    await expect.poll(() => page.getByTestId('find-result').count()).toBeGreaterThan(0)
    const first = page.getByTestId('find-result').filter({ hasText: 'event' }).first()
    const index = Number(await first.getAttribute('data-index'))
    await first.click()
    await expect.poll(() => page.getByTestId('details-panel').textContent()).toContain('doorbell')
    const selected = await page.evaluate(() => document.activeElement?.tagName)
    expect(selected).toBeDefined()
    expect(Number.isInteger(index)).toBe(true)
    expect(problems).toEqual([])
    await page.close()
  })
})

describe('the track area', () => {
  it('has room for more rows in a taller window', () => {
    expect(rowsAt[1080]).toBeGreaterThan(rowsAt[900]!)
    expect(rowsAt[900]).toBeGreaterThan(rowsAt[720]!)
  })
})
