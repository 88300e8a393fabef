/**
 * Issue 17 on the book3s-large scenario (bench/cases.ts: 256 POWER8 cores, 2048 vcpus, about
 * 960,000 spans and 480,000 events), run once and looked at in one window resized to 1280×720,
 * 1440×900 and 1920×1080: the grouped, folded tracks filling the window, find and pin, and the
 * small things of item 5. Screenshots in test-results/e2e-large-*.png.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { book3sLargeDocument } from '../../bench/cases'
import { runDocument } from '../../src/services/runDocument'
import { powerLayoutAt } from '../../src/shared/charts/layoutAtTick'
import { describeLayout } from '../../src/shared/charts/powerLayoutOption'
import { prepareTimeline } from '../../src/shared/charts/timelineModel'
import { TL } from '../../src/shared/charts/timelineOption'
import type { Book3sRunResult } from '../../src/shared/result'
import { shot, startLabBrowser, type LabBrowser } from '../support/labBrowser'
import {
  SIZES,
  attr,
  clickOverviewBlock,
  csvRows,
  downloadText,
  dragArea,
  drawnRows,
  rowPoint,
  runDocumentNow,
  tickPoint,
  timelinePlot,
} from '../support/timelineDriver'

let lab: LabBrowser
let page: Page
let problems: string[]
beforeAll(async () => {
  lab = await startLabBrowser()
  ;({ page, problems } = await lab.open(SIZES[2]))
  await runDocumentNow(page, book3sLargeDocument())
}, 400_000)
afterAll(() => lab?.close())

const tagOf = (s: (typeof SIZES)[number]) => `${s.width}x${s.height}`

describe('book3s-large: 2,304 tracks', () => {
  it('folds them into one row per core, and fills the window’s height at each size', async () => {
    const room: number[] = []
    for (const size of SIZES) {
      await page.setViewportSize(size)
      await timelinePlot(page)
      expect(Number(await attr(page, 'data-tracks'))).toBe(2304)
      expect(Number(await attr(page, 'data-rows'))).toBe(256)
      const rows = await drawnRows(page)
      expect(rows.slice(0, 3)).toEqual(['group:core0', 'group:core1', 'group:core2'])
      const visible = Number(await attr(page, 'data-visible-rows'))
      expect(visible).toBe(Number(await attr(page, 'data-room')))
      room.push(visible)
      const pane = (await page.getByTestId('timeline').boundingBox())!
      expect(pane.y + pane.height, tagOf(size)).toBeLessThanOrEqual(size.height + 1)
      await shot(page, `e2e-large-${tagOf(size)}-timeline`)
    }
    expect(room[0]).toBeLessThan(room[1]!)
    expect(room[1]).toBeLessThan(room[2]!)
    expect(problems).toEqual([])
  })

  it('finds vcpu 1000, opens core 125 to show it, and keeps it pinned on top', async () => {
    for (const size of SIZES) {
      await page.setViewportSize(size)
      await page.getByTestId('collapse-all').click()
      await timelinePlot(page)
      await page.keyboard.press('Control+f')
      const box = page.getByTestId('find-input')
      await box.fill('vcpu 1000')
      await expect
        .poll(() => page.getByTestId('find-summary').textContent())
        .toMatch(/^vcpu 1000: 1 track, [\d,]+ events/)
      await shot(page, `e2e-large-${tagOf(size)}-find`)
      await box.press('Enter')
      await expect.poll(() => attr(page, 'data-selected-tracks')).toContain('cpu1000')
      await expect.poll(() => drawnRows(page)).toContain('cpu1000')
      expect(await drawnRows(page)).toContain('vcore125')
      await box.press('Escape')
      await page.keyboard.press('p')
      await expect.poll(() => attr(page, 'data-pinned')).toBe('cpu1000')
      const plot = await timelinePlot(page)
      const mid = rowPoint(plot, 4, 0.5)
      await page.mouse.move(mid.x, mid.y)
      for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 400)
      await expect.poll(async () => Number(await attr(page, 'data-first-row'))).toBeGreaterThan(10)
      expect((await drawnRows(page))[0]).toBe('cpu1000')
      await shot(page, `e2e-large-${tagOf(size)}-pinned`)
      await page.keyboard.press('p')
      await expect.poll(() => attr(page, 'data-pinned')).toBe('')
    }
    // A kind finds all of them (the list shows the first 50).
    await page.keyboard.press('/')
    await page.getByTestId('find-input').fill('doorbell')
    await expect
      .poll(() => page.getByTestId('find-summary').textContent())
      .toMatch(/^kind doorbell: 0 tracks, 241,703 events \(the first 50 listed\)/)
    await page.getByTestId('find-input').press('Escape')
    expect(problems).toEqual([])
  })

  it('keeps the keys after a checkbox, highlights a legend state, follows an arrow', async () => {
    for (const size of SIZES) {
      await page.setViewportSize(size)
      await page.keyboard.press('f')
      await timelinePlot(page)
      await page.getByTestId('show-idle').click()
      const [f0, t0] = (await attr(page, 'data-window')).split(',').map(Number)
      await page.keyboard.press('w')
      await expect
        .poll(async () => {
          const [f, t] = (await attr(page, 'data-window')).split(',').map(Number)
          return t! - f!
        })
        .toBeLessThan(t0! - f0!)
      await page.getByTestId('show-idle').click()
      const plot = await timelinePlot(page)
      await page.mouse.click(plot.left + TL.pad + 30, plot.top + TL.pad + TL.titleH + 8)
      await expect.poll(() => attr(page, 'data-highlight-state')).toBe('mmu-in')
      await shot(page, `e2e-large-${tagOf(size)}-highlight`)
      await page.mouse.click(plot.left + TL.pad + 30, plot.top + TL.pad + TL.titleH + 8)
      await expect.poll(() => attr(page, 'data-highlight-state')).toBe('')
      const jump = page.getByTestId('jump-receiver').first()
      for (let i = 0; i < 60 && (await jump.count()) === 0; i++) await page.keyboard.press('.')
      const track = (await jump.getAttribute('data-track'))!
      await jump.click()
      await expect
        .poll(async () => (await attr(page, 'data-selected-tracks')).split(','))
        .toContain(track)
      await expect.poll(() => drawnRows(page)).toContain(track)
      await shot(page, `e2e-large-${tagOf(size)}-receiver`)
      await page.keyboard.press('Escape')
    }
    expect(problems).toEqual([])
  })

  it('sums up an area over three folded cores: 27 tracks, with the CSV', async () => {
    for (const size of SIZES) {
      await page.setViewportSize(size)
      await page.keyboard.press('Escape')
      await page.getByTestId('collapse-all').click()
      await page.keyboard.press('f')
      const plot = await timelinePlot(page)
      expect((await drawnRows(page)).slice(2, 5)).toEqual([
        'group:core2',
        'group:core3',
        'group:core4',
      ])
      await dragArea(page, plot, 2, 0.3, 4, 0.5)
      const table = page.getByTestId('area-summary')
      await table.waitFor()
      expect(await table.getAttribute('data-tracks')).toBe('27')
      expect(await page.getByTestId('area-row').count()).toBe(27)
      await shot(page, `e2e-large-${tagOf(size)}-area`)
      await table.scrollIntoViewIfNeeded()
      await shot(page, `e2e-large-${tagOf(size)}-area-table`)
      const { text } = await downloadText(page, 'area-csv')
      const csv = csvRows(text)
      const tracks = new Set(
        csv.filter((r) => r[0] === 'time' && r[1] !== '(all tracks)').map((r) => r[1]),
      )
      expect(tracks.size).toBe(27)
      const events = csv.filter((r) => r[0] === 'events').reduce((a, r) => a + Number(r[7]), 0)
      expect(events).toBe(Number(await table.getAttribute('data-events')))
    }
    expect(problems).toEqual([])
  })

  it('shows the POWER grid as it was at a clicked tick, and the doorbells of the window', async () => {
    // The same run in Node, for what the grid should say at the tick the page uses.
    const out = runDocument(book3sLargeDocument())
    if (!out.ok) throw new Error(out.error.message)
    const r = out.value as Book3sRunResult
    const p = prepareTimeline(r, { hideIdle: true })
    const chart = page.getByTestId('power-layout').locator('.layout-chart:not(.overview-chart)')
    const summary = page.getByTestId('power-layout-summary')
    expect(await summary.textContent()).toBe(describeLayout(r.layout))
    for (const size of SIZES) {
      await page.setViewportSize(size)
      await page.keyboard.press('Escape')
      await page.keyboard.press('f')
      const plot = await timelinePlot(page)
      const at = await tickPoint(page, plot, 1, 12_345)
      await page.mouse.click(at.x, at.y)
      await expect.poll(() => chart.getAttribute('data-at-tick')).not.toBe('')
      const t = Number(await chart.getAttribute('data-at-tick'))
      const expected = describeLayout(powerLayoutAt(r.layout, p, t))
      expect(expected).not.toBe(describeLayout(r.layout))
      await expect.poll(() => summary.textContent()).toBe(expected)
      await page.getByTestId('power-layout').scrollIntoViewIfNeeded()
      await shot(page, `e2e-large-${tagOf(size)}-power-at-tick`)
      // With nothing selected: six doorbells of the window's, and how many it holds.
      await page.keyboard.press('Escape')
      await expect.poll(() => chart.getAttribute('data-doorbells')).toBe('6')
      const all = r.events.filter((e) => e.kind === 'doorbell').length
      expect(Number(await chart.getAttribute('data-doorbells-total'))).toBe(all)
      for (let i = 0; i < 6; i++) await page.keyboard.press('w')
      await expect
        .poll(async () => Number(await chart.getAttribute('data-doorbells-total')))
        .toBeLessThan(all)
      await page.getByTestId('power-layout').scrollIntoViewIfNeeded()
      await shot(page, `e2e-large-${tagOf(size)}-doorbells-window`)
    }
    expect(problems).toEqual([])
  })

  it('draws all 256 cores as an overview; a click zooms the grid into one', async () => {
    const overview = page.getByTestId('power-overview')
    const grid = page.getByTestId('power-layout').locator('.layout-chart:not(.overview-chart)')
    for (const [k, size] of SIZES.entries()) {
      await page.setViewportSize(size)
      await page.keyboard.press('Escape')
      await overview.locator('canvas').first().waitFor()
      expect(await overview.getAttribute('data-cores')).toBe('256')
      const core = 100 + 50 * k
      await clickOverviewBlock(page, 'power-overview', core)
      await expect
        .poll(() => overview.getAttribute('data-focus'))
        .toBe([core, core + 1, core + 2, core + 3].join(','))
      expect(await grid.getAttribute('data-cores')).toBe(await overview.getAttribute('data-focus'))
      await page.getByTestId('power-layout').scrollIntoViewIfNeeded()
      await shot(page, `e2e-large-${tagOf(size)}-overview`)
    }
    // A thread picked in the timeline brings its core into the grid.
    await page.keyboard.press('Control+f')
    await page.getByTestId('find-input').fill('cpu 17')
    await page.getByTestId('find-input').press('Enter')
    await expect.poll(() => overview.getAttribute('data-focus')).toBe('2,3,4,5')
    await page.getByTestId('find-input').press('Escape')
    expect(problems).toEqual([])
  })

  it('exports figures that say what they left out, and draw the rows they claim', async () => {
    const layout = await downloadText(page, 'export-svg', 'power-layout')
    expect(layout.text).toContain('Not drawn: 208 of 256 cores in use (past the first 48)')
    expect(layout.text).toContain('… and 208 more cores in use not drawn (48 of 256 drawn)')
    expect(layout.text.match(/>core \d+</g)?.length).toBe(48)
    const timeline = await downloadText(page, 'export-svg', 'timeline')
    expect(timeline.text).toContain('Not drawn: 2,240 of 2,304 tracks (past the first 64)')
    expect(timeline.text).toContain('rows 1–64 of 2304')
    expect(timeline.text.match(/>cpu \d+ \(core \d+ thread \d+\)</g)?.length).toBe(64)
    expect(problems).toEqual([])
  })
})
