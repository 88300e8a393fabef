/**
 * The small things of issue 17 at the three window sizes people use (1280×720, 1440×900,
 * 1920×1080), in Chromium through the browser preview: keys after a checkbox, the Xen tooltip
 * inside the window, both layouts whole, the legend's highlight, an arrow followed to its
 * receiver, the empty pane of an engine that has not run, and a JSON paste that does not parse.
 * Each size leaves screenshots in test-results/ for a person to look at.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TL } from '../../src/shared/charts/timelineOption'
import { runPreset, shot, startLabBrowser, type LabBrowser } from '../support/labBrowser'
import { SIZES } from '../support/timelineDriver'

let lab: LabBrowser
beforeAll(async () => {
  lab = await startLabBrowser()
})
afterAll(() => lab?.close())

const win = async (page: Page) =>
  ((await page.getByTestId('timeline').getAttribute('data-window')) ?? '')
    .split(',')
    .map(Number) as [number, number]

describe.each(SIZES)('the lab at $width×$height', (size) => {
  const tag = `${size.width}x${size.height}`

  it('gives a lone engine’s layout the width, and keeps W/S/A/D working after a checkbox', async () => {
    const { page, problems } = await lab.open(size)
    await runPreset(page, 'book3s-power8-doorbell-first-come')
    const xen = (await page.getByTestId('xen-layout').boundingBox())!
    const power = (await page.getByTestId('power-layout').boundingBox())!
    expect(xen.width).toBeLessThan(230)
    expect(power.width).toBeGreaterThan(xen.width * 3)
    // The keys after a click on the "idle tracks" checkbox (focus stays on it).
    const timeline = page.getByTestId('timeline')
    await timeline.scrollIntoViewIfNeeded()
    await page.getByTestId('show-idle').click()
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).type)).toBe(
      'checkbox',
    )
    const [from, to] = await win(page)
    await page.keyboard.press('w')
    await expect
      .poll(async () => (await win(page))[1] - (await win(page))[0])
      .toBeLessThan(to - from)
    const zoomed = await win(page)
    await page.keyboard.press('d')
    await expect.poll(async () => (await win(page))[0]).toBeGreaterThan(zoomed[0])
    await page.keyboard.press('s')
    await page.keyboard.press('a')
    await shot(page, `e2e-size-${tag}-power-alone`)
    expect(problems).toEqual([])
    await page.close()
  })

  it('draws both layouts whole and keeps the Xen tooltip inside the window', async () => {
    const { page, problems } = await lab.open(size)
    await runPreset(page, 'book3s-power8-doorbell-first-come')
    await runPreset(page, 'xen-pvhvm-kdump-vcpu2-raw')
    const pane = page.getByTestId('xen-layout')
    const chart = pane.locator('.layout-chart')
    await chart.locator('canvas').first().waitFor()
    // No horizontal scrolling: the vCPU column and a core's eighth thread are in view.
    for (const id of ['xen-layout', 'power-layout']) {
      const scroll = page.getByTestId(id).locator('.chart-scroll')
      const [sw, cw] = await scroll.evaluate((e) => [e.scrollWidth, e.clientWidth])
      expect(sw, id).toBeLessThanOrEqual(cw!)
    }
    await shot(page, `e2e-size-${tag}-both-layouts`)
    // Hover cpu 0 (failed, with a long list of hypercalls): the tooltip stays in the window.
    const box = (await chart.boundingBox())!
    const top = await chart.evaluate((el) => el.getBoundingClientRect().top)
    await page.mouse.move(box.x + 60, top + 250)
    const tip = page.locator('body > div').filter({ hasText: 'Linux cpu 0' }).last()
    await tip.waitFor({ timeout: 5000 })
    await expect.poll(async () => (await tip.boundingBox())?.x ?? -1).toBeGreaterThanOrEqual(0)
    const t = (await tip.boundingBox())!
    expect(t.x).toBeGreaterThanOrEqual(0)
    expect(t.x + t.width).toBeLessThanOrEqual(size.width)
    expect(t.y).toBeGreaterThanOrEqual(0)
    expect(t.y + t.height).toBeLessThanOrEqual(size.height)
    await shot(page, `e2e-size-${tag}-xen-tooltip`)
    expect(problems).toEqual([])
    await page.close()
  })

  it('highlights a state picked in the legend, and follows an arrow to its receiver', async () => {
    const { page, problems } = await lab.open(size)
    await runPreset(page, 'book3s-power8-doorbell-first-come')
    const timeline = page.getByTestId('timeline')
    const plot = timeline.locator('.timeline-plot')
    await plot.scrollIntoViewIfNeeded()
    const before = await plot.screenshot()
    // The first legend entry sits at the legend's top left.
    await plot.click({ position: { x: TL.pad + 30, y: TL.pad + TL.titleH + 8 } })
    await expect.poll(() => timeline.getAttribute('data-highlight-state')).toBe('mmu-in')
    await expect.poll(async () => (await plot.screenshot()).equals(before)).toBe(false)
    await shot(page, `e2e-size-${tag}-legend-highlight`)
    await plot.click({ position: { x: TL.pad + 30, y: TL.pad + TL.titleH + 8 } })
    await expect.poll(() => timeline.getAttribute('data-highlight-state')).toBe('')
    // Step to the first event with an arrow, then follow it.
    const jump = page.getByTestId('jump-receiver').first()
    for (let i = 0; i < 40 && (await jump.count()) === 0; i++) await page.keyboard.press('.')
    const track = (await jump.getAttribute('data-track'))!
    expect(track).toMatch(/^(cpu|vcore)\d+$/)
    await jump.click()
    await expect
      .poll(async () => ((await timeline.getAttribute('data-selected-tracks')) ?? '').split(','))
      .toContain(track)
    await shot(page, `e2e-size-${tag}-receiver`)
    expect(problems).toEqual([])
    await page.close()
  })

  it('shows where a pasted JSON breaks and runs nothing until it parses', async () => {
    const { page, problems } = await lab.open(size)
    await page
      .locator('[data-testid="preset-item"][data-preset-id="book3s-power8-aligned-vcores"]')
      .click()
    await page.getByTestId('tab-scenario').click()
    const json = page.getByTestId('scenario-json')
    const good = await json.inputValue()
    await json.fill('{\n  "schemaVersion": 1,\n  "name": }')
    await expect
      .poll(() => page.getByTestId('json-error').textContent())
      .toContain('line 3, column 11')
    expect(await page.getByTestId('editor-run').isDisabled()).toBe(true)
    await shot(page, `e2e-size-${tag}-json-error`)
    await page.keyboard.press('Control+Enter')
    await page.getByTestId('tab-lab').click()
    expect(await page.getByTestId('run-button').isDisabled()).toBe(true)
    expect(await page.getByTestId('status').textContent()).toContain('is refused')
    await page.getByTestId('tab-scenario').click()
    await json.fill(good)
    await expect.poll(() => page.getByTestId('editor-run').isDisabled()).toBe(false)
    await page.getByTestId('editor-run').click()
    await page.getByTestId('status').filter({ hasText: /^Ran / }).waitFor({ timeout: 30_000 })
    expect(problems).toEqual([])
    await page.close()
  })
})
