/**
 * Issue 17, item 4, at 1280×720, 1440×900 and 1920×1080: the Xen map beyond 64 CPUs as an
 * overview of every CPU with the map of 16 of them below (a click picks which), its exported figure
 * saying what it left out; and the POWER cells named by vcpu id, thread index or host cpu.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shot, startLabBrowser, type LabBrowser } from '../support/labBrowser'
import { xenDocument } from '../support/scenarios'
import {
  SIZES,
  clickOverviewBlock,
  downloadText,
  runDocumentNow,
  runPresetNow,
} from '../support/timelineDriver'

let lab: LabBrowser
beforeAll(async () => {
  lab = await startLabBrowser()
})
afterAll(() => lab?.close())

const XEN_256 = xenDocument({ type: 'pvhvm', maxVcpus: 256, design: 'vcpu-id-mapping' })

describe.each(SIZES)('big hosts at $width×$height', (size) => {
  const tag = `${size.width}x${size.height}`

  it('draws 256 Xen CPUs as an overview, and 16 of them in the map below', async () => {
    const { page, problems } = await lab.open(size)
    await runDocumentNow(page, { ...XEN_256, name: 'xen 256' }, 60_000)
    const overview = page.getByTestId('xen-overview')
    await overview.locator('canvas').first().waitFor()
    expect(await overview.getAttribute('data-cpus')).toBe('256')
    const map = page.getByTestId('xen-layout').locator('.layout-chart').last()
    expect(await map.getAttribute('data-cpus')).toBe('16')
    expect(await map.getAttribute('data-first-cpu')).toBe('0')
    await clickOverviewBlock(page, 'xen-overview', 100)
    await expect.poll(() => overview.getAttribute('data-focus')).toBe('96-111')
    expect(await map.getAttribute('data-first-cpu')).toBe('96')
    await page.getByTestId('xen-layout').scrollIntoViewIfNeeded()
    await shot(page, `e2e-scale-${tag}-xen-overview`)
    // The exported figure says what it left out.
    const { text } = await downloadText(page, 'export-svg', 'xen-layout')
    expect(text).toContain('Not drawn: 192 of 256 Linux CPUs (past the first 64)')
    expect(problems).toEqual([])
    await page.close()
  })

  it('names the POWER cells by vcpu id, thread index or host cpu', async () => {
    const { page, problems } = await lab.open(size)
    await runPresetNow(page, 'book3s-power8-aligned-vcores')
    const chart = page.getByTestId('power-layout').locator('.layout-chart')
    expect(await chart.getAttribute('data-cell-label')).toBe('vcpu')
    const before = await chart.screenshot()
    await page.getByTestId('cell-labels').selectOption('cpu')
    await expect.poll(() => chart.getAttribute('data-cell-label')).toBe('cpu')
    await expect.poll(async () => (await chart.screenshot()).equals(before)).toBe(false)
    await page.getByTestId('power-layout').scrollIntoViewIfNeeded()
    await shot(page, `e2e-scale-${tag}-cells-cpu`)
    await page.getByTestId('cell-labels').selectOption('thread')
    await expect.poll(() => chart.getAttribute('data-cell-label')).toBe('thread')
    await shot(page, `e2e-scale-${tag}-cells-thread`)
    expect(problems).toEqual([])
    await page.close()
  })
})
