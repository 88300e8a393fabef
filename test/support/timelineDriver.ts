/**
 * Driving the timeline as a person does, for the end-to-end tests: run a preset or a pasted
 * scenario and wait for its result, find the plot and its rows in the page, click a row's name, its
 * pin or a point in its lane, drag over it.
 */
import type { Page } from 'playwright-core'

/** The window sizes issue 17 is done at. */
export const SIZES = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
] as const

/** Picks a preset and runs it; resolves when the status names a new run (not the one before). */
export async function runPresetNow(page: Page, id: string): Promise<void> {
  const status = page.getByTestId('status')
  const before = (await status.textContent()) ?? ''
  await page.locator(`[data-testid="preset-item"][data-preset-id="${id}"]`).click()
  // A scenario edited before asks whether to save it: not here.
  await page
    .getByTestId('unsaved-discard')
    .click({ timeout: 1000 })
    .catch(() => undefined)
  await page.getByTestId('run-button').click()
  await status
    .filter({ hasText: /^Ran / })
    .filter({ hasNotText: before })
    .waitFor({ timeout: 60_000 })
}

/** Pastes a scenario document into the editor and runs it (up to `timeout` ms). */
export async function runDocumentNow(page: Page, doc: unknown, timeout = 240_000): Promise<void> {
  const status = page.getByTestId('status')
  const before = (await status.count()) ? ((await status.textContent()) ?? '') : ''
  await page.getByTestId('tab-scenario').click()
  const engine = (doc as { engine?: string }).engine === 'xen' ? 'new-xen' : 'new-book3s'
  await page.getByTestId('editor-start').selectOption(engine)
  // A scenario edited before asks whether to save it: not here.
  const discard = page.getByTestId('unsaved-discard')
  await discard.click({ timeout: 1000 }).catch(() => undefined)
  await page.getByTestId('scenario-json').fill(JSON.stringify(doc))
  await page.getByTestId('editor-run').click()
  await page.getByTestId('tab-lab').click()
  await status
    .filter({ hasText: /^Ran / })
    .filter({ hasNotText: before || '\u0000' })
    .waitFor({ timeout })
}

export interface Plot {
  /** The chart's top left on the page. */
  left: number
  top: number
  /** The plot inside the chart: its left, top and width, and a row's height. */
  x: number
  y: number
  w: number
  rowH: number
}

/** Scrolls the timeline into view and reads where its plot and rows are. */
export async function timelinePlot(page: Page): Promise<Plot> {
  const pane = page.getByTestId('timeline')
  await pane.evaluate((el) => el.scrollIntoView({ block: 'start' }))
  const el = pane.locator('.timeline-plot')
  await el.locator('canvas').first().waitFor()
  const box = (await el.boundingBox())!
  const [x, y, w, rowH] = ((await pane.getAttribute('data-plot')) ?? '').split(',').map(Number)
  return { left: box.x, top: box.y, x: x!, y: y!, w: w!, rowH: rowH! }
}

/** The page point of row `r` (counted from the top row drawn): on its name, its pin or its lane
 * at `fraction` of the plot's width. */
export function rowPoint(
  plot: Plot,
  r: number,
  where: 'label' | 'pin' | number,
): { x: number; y: number } {
  const y = plot.top + plot.y + r * plot.rowH + plot.rowH / 2
  const x =
    where === 'label'
      ? plot.left + 40
      : where === 'pin'
        ? plot.left + 18
        : plot.left + plot.x + plot.w * where
  return { x, y }
}

/** The ids drawn on rows, top to bottom (a collapsed group as `group:<id>`). */
export async function drawnRows(page: Page): Promise<string[]> {
  return ((await page.getByTestId('timeline').getAttribute('data-drawn-rows')) ?? '')
    .split(',')
    .filter(Boolean)
}

export async function attr(page: Page, name: string): Promise<string> {
  return (await page.getByTestId('timeline').getAttribute(name)) ?? ''
}

/** Drags over the lanes from row `a` at `fa` of the plot's width to row `b` at `fb`. */
export async function dragArea(
  page: Page,
  plot: Plot,
  a: number,
  fa: number,
  b: number,
  fb: number,
): Promise<void> {
  const p = rowPoint(plot, a, fa)
  const q = rowPoint(plot, b, fb)
  await page.mouse.move(p.x, p.y)
  await page.mouse.down()
  await page.mouse.move((p.x + q.x) / 2, (p.y + q.y) / 2, { steps: 4 })
  await page.mouse.move(q.x, q.y, { steps: 4 })
  await page.mouse.up()
}

/** Clicks `testid` (inside the element `within`, when given) and reads the file it downloads. */
export async function downloadText(
  page: Page,
  testid: string,
  within?: string,
): Promise<{ name: string; text: string }> {
  const button = within ? page.getByTestId(within).getByTestId(testid) : page.getByTestId(testid)
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    button.click(),
  ])
  const path = await download.path()
  const { readFileSync } = await import('node:fs')
  return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') }
}

/** The CSV of an area's table as rows of cells (no quoted commas in these). */
export function csvRows(text: string): string[][] {
  return text
    .trim()
    .split('\r\n')
    .map((l) => l.split(','))
}

/** The page point of `tick` on row `r` of the plot (the window as the pane says it is). */
export async function tickPoint(
  page: Page,
  plot: Plot,
  r: number,
  tick: number,
): Promise<{ x: number; y: number }> {
  const [from, to] = (await attr(page, 'data-window')).split(',').map(Number) as [number, number]
  return rowPoint(plot, r, (tick - from) / (to - from))
}

/** Clicks block `i` of an overview chart (its `data-grid`: first block and the steps). */
export async function clickOverviewBlock(page: Page, testid: string, i: number): Promise<void> {
  const el = page.getByTestId(testid)
  await el.scrollIntoViewIfNeeded()
  const cols = Number(await el.getAttribute('data-cols'))
  const [x, y, w, h, dx, dy] = ((await el.getAttribute('data-grid')) ?? '').split(',').map(Number)
  await el.click({
    position: { x: x! + (i % cols) * dx! + w! / 2, y: y! + Math.floor(i / cols) * dy! + h! / 2 },
  })
}
