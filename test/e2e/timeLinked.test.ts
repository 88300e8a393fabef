/**
 * Issue 17, item 3, on the presets at 1280×720, 1440×900 and 1920×1080: a tick clicked in the
 * timeline shows the POWER grid and the Xen map as they were then (who ran where, who napped, which
 * CPUs were up), not as the run ended; the POWER layout's doorbell arrows are those of the timeline's
 * window, with "showing 6 of N"; its vcore labels are drawn over the arrows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shot, startLabBrowser, type LabBrowser } from '../support/labBrowser'
import { SIZES, drawnRows, runPresetNow, tickPoint, timelinePlot } from '../support/timelineDriver'

let lab: LabBrowser
beforeAll(async () => {
  lab = await startLabBrowser()
})
afterAll(() => lab?.close())

describe.each(SIZES)('the layouts linked to time at $width×$height', (size) => {
  const tag = `${size.width}x${size.height}`

  it('shows the POWER grid at a tick: thread 0 napping before vcpu 8 came, running it after', async () => {
    const { page, problems } = await lab.open(size)
    await runPresetNow(page, 'book3s-power8-thread0-latecomer')
    const chart = page.getByTestId('power-layout').locator('.layout-chart')
    const summary = page.getByTestId('power-layout-summary')
    expect(await summary.textContent()).toContain('vcpu 8 on thread 0')
    const plot = await timelinePlot(page)
    const row = (await drawnRows(page)).indexOf('cpu0')
    let at = await tickPoint(page, plot, row, 150)
    await page.mouse.click(at.x, at.y)
    await expect.poll(() => chart.getAttribute('data-at-tick')).not.toBe('')
    const t = Number(await chart.getAttribute('data-at-tick'))
    expect(t).toBeGreaterThan(30)
    expect(t).toBeLessThan(305)
    await expect.poll(() => summary.textContent()).not.toContain('vcpu 8')
    expect(await summary.textContent()).toContain('vcpu 9 on thread 1')
    await page.getByTestId('power-layout').scrollIntoViewIfNeeded()
    await shot(page, `e2e-time-${tag}-power-early`)
    const plot2 = await timelinePlot(page)
    at = await tickPoint(page, plot2, row, 600)
    await page.mouse.click(at.x, at.y)
    await expect.poll(() => summary.textContent()).toContain('vcpu 8 on thread 0')
    // Back to the end of the run.
    await page.getByTestId('power-at-tick').getByRole('button').click()
    await expect.poll(() => chart.getAttribute('data-at-tick')).toBe('')
    expect(problems).toEqual([])
    await page.close()
  })

  it('shows the Xen map at a tick: cpu 1 not up yet, then failed', async () => {
    const { page, problems } = await lab.open(size)
    await runPresetNow(page, 'xen-arm-regression-minus-one')
    const chart = page.getByTestId('xen-layout').locator('.layout-chart')
    expect(await chart.getAttribute('data-failed')).toBe('1')
    const plot = await timelinePlot(page)
    let at = await tickPoint(page, plot, 1, 3)
    await page.mouse.click(at.x, at.y)
    await expect.poll(() => chart.getAttribute('data-failed')).toBe('0')
    expect(await page.getByTestId('xen-layout-summary').textContent()).toContain('0 failed')
    await page.getByTestId('xen-layout').scrollIntoViewIfNeeded()
    await shot(page, `e2e-time-${tag}-xen-early`)
    // Its call failed at tick 4, the CPU at 5, the end of the run.
    const plot2 = await timelinePlot(page)
    at = await tickPoint(page, plot2, 1, 4.5)
    await page.mouse.click(at.x, at.y)
    await expect
      .poll(async () => Number(await chart.getAttribute('data-at-tick')))
      .toBeGreaterThan(4)
    expect(await chart.getAttribute('data-failed')).toBe('0')
    await page.getByTestId('xen-at-tick').getByRole('button').click()
    await expect.poll(() => chart.getAttribute('data-failed')).toBe('1')
    expect(problems).toEqual([])
    await page.close()
  })

  it('draws the doorbells of the timeline’s window, six at most, and says of how many', async () => {
    const { page, problems } = await lab.open(size)
    await runPresetNow(page, 'book3s-power8-random-doorbells')
    const chart = page.getByTestId('power-layout').locator('.layout-chart')
    const total = Number(await chart.getAttribute('data-doorbells-total'))
    expect(total).toBeGreaterThan(6)
    expect(await chart.getAttribute('data-doorbells')).toBe('6')
    await timelinePlot(page)
    for (let i = 0; i < 4; i++) await page.keyboard.press('w')
    await expect
      .poll(async () => Number(await chart.getAttribute('data-doorbells-total')))
      .toBeLessThan(total)
    const [from, to] = ((await page.getByTestId('timeline').getAttribute('data-window')) ?? '')
      .split(',')
      .map(Number)
    expect(to! - from!).toBeLessThan(20_000 * 0.2)
    await page.getByTestId('power-layout').scrollIntoViewIfNeeded()
    await shot(page, `e2e-time-${tag}-doorbells-window`)
    expect(problems).toEqual([])
    await page.close()
  })
})
