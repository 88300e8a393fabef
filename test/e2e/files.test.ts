/**
 * Files and exports in the browser preview, as a person uses them: Playwright answers the file
 * chooser and catches the downloads. A saved scenario opens back identical, an invalid file
 * changes nothing, a dropped file opens, the draft survives a reload, and every export is parsed
 * back: the PNG decodes at twice the figure's size, the SVG parses, the trace and the CSV are the
 * ones `lab export` writes. Screenshots of each flow go to test-results/.
 *
 * Chromium (156) drops the eleventh of eleven downloads a tab starts in quick succession (a flood
 * guard; measured: the 11th of 20 back-to-back downloads never starts, the 12th does). A person
 * never exports that fast; each page here makes fewer than ten.
 */
import { Resvg } from '@resvg/resvg-js'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Download, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildLabApi } from '../../src/preload/labApi'
import { figureSvg } from '../../src/services/chartRender'
import { PRESETS_DIR } from '../../src/services/paths'
import { runDocument } from '../../src/services/runDocument'
import { LIGHT, escapeHtml } from '../../src/shared/charts/palette'
import { eventsToCsv } from '../../src/shared/export/csv'
import { runFigures } from '../../src/shared/export/figures'
import { toTrace, type TraceFile } from '../../src/shared/export/trace'
import type { RunResult } from '../../src/shared/result'
import { parseScenario } from '../../src/shared/scenario'
import { decodePng } from '../support/png'
import { runPreset, shot, startLabBrowser, type LabBrowser } from '../support/labBrowser'

let lab: LabBrowser
beforeAll(async () => {
  lab = await startLabBrowser()
})
afterAll(() => lab?.close())

const DOORBELL = 'book3s-power8-doorbell-first-come'
const ALIGNED = 'book3s-power8-aligned-vcores'
const ARM = 'xen-arm-regression-minus-one'
const tmp = mkdtempSync(join(tmpdir(), 'lab-e2e-files-'))
const presetText = (id: string) => readFileSync(join(PRESETS_DIR, `${id}.json`), 'utf8')
const run = (id: string): RunResult => {
  const out = runDocument(JSON.parse(presetText(id)))
  if (!out.ok) throw new Error(out.error.message)
  return out.value
}

async function downloadOf(
  page: Page,
  click: () => Promise<void>,
): Promise<{ d: Download; data: Buffer }> {
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), click()])
  const path = await d.path()
  return { d, data: readFileSync(path) }
}

async function openFile(page: Page, path: string): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser', { timeout: 30_000 }),
    page.getByTestId('open-button').click(),
  ])
  await chooser.setFiles(path)
}

const editorJson = (page: Page) => page.getByTestId('scenario-json').inputValue()

async function pickPreset(page: Page, id: string) {
  await page.locator(`[data-testid="preset-item"][data-preset-id="${id}"]`).click()
  await page.getByTestId('scenario-name').waitFor()
}

describe('scenario files in the browser preview', () => {
  it('has a window.lab of the preload’s shape, file methods included', async () => {
    const { page, problems } = await lab.open()
    const preload = buildLabApi({
      invoke: async () => null,
      on: () => undefined,
      removeListener: () => undefined,
    })
    expect(await page.evaluate(() => Object.keys(window.lab!).sort())).toEqual(
      Object.keys(preload).sort(),
    )
    expect(await page.evaluate(() => window.lab!.recentFiles({}))).toEqual({ ok: true, value: [] })
    expect(
      await page.evaluate(() => window.lab!.exportPdf({ html: '<p/>', suggestedName: 'r.pdf' })),
    ).toMatchObject({ ok: false, error: { code: 'unsupported' } })
    expect(problems).toEqual([])
    await page.close()
  })

  it('saves the scenario as a download and opens it back as the identical scenario', async () => {
    const { page, problems } = await lab.open()
    await pickPreset(page, DOORBELL)
    await page.getByTestId('tab-scenario').click()
    await page.locator('input[data-field="name"]').fill('Doorbells, my copy')
    await expect.poll(() => page.title()).toBe('● Doorbells, my copy — vCPU Lab')
    const edited = await editorJson(page)
    const { d, data } = await downloadOf(page, () => page.keyboard.press('Control+s'))
    expect(d.suggestedFilename()).toBe('doorbells-my-copy.json')
    expect(data.toString('utf8')).toBe(`${edited}\n`)
    // Saved: the document is that file now, with nothing unsaved.
    await expect.poll(() => page.title()).toBe('doorbells-my-copy.json — vCPU Lab')
    expect(await page.getByTestId('notice').textContent()).toContain(
      'Downloaded “doorbells-my-copy.json”',
    )

    // Something else in the editor, then the saved file back through the file chooser.
    await pickPreset(page, ALIGNED)
    const saved = join(tmp, 'doorbells-my-copy.json')
    writeFileSync(saved, data)
    await openFile(page, saved)
    await expect.poll(() => page.title()).toBe('doorbells-my-copy.json — vCPU Lab')
    const reopened = await editorJson(page)
    expect(reopened).toBe(data.toString('utf8'))
    const original = { ...JSON.parse(presetText(DOORBELL)), name: 'Doorbells, my copy' }
    expect(parseScenario(JSON.parse(reopened))).toEqual(parseScenario(original))
    await shot(page, 'e2e-files-opened')
    expect(problems).toEqual([])
    await page.close()
  })

  it('shows every problem of an invalid file with its field, and keeps the current scenario', async () => {
    const { page, problems } = await lab.open()
    await pickPreset(page, ALIGNED)
    await page.getByTestId('tab-scenario').click()
    await page.locator('input[data-field="name"]').fill('Work I must not lose')
    const before = await editorJson(page)
    const bad = join(tmp, 'broken.json')
    writeFileSync(
      bad,
      JSON.stringify({
        ...JSON.parse(presetText(ALIGNED)),
        kvm: { design: 'fastest', smtMode: 3 },
      }),
    )
    await openFile(page, bad)
    const panel = page.getByTestId('file-problems')
    await panel.waitFor()
    expect(
      await panel
        .getByTestId('file-problem')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-path'))),
    ).toEqual(['kvm.design'])
    expect(await panel.textContent()).toContain(
      'kvm.design must be one of "first-come", "aligned", "piggyback", "dynamic-micro-threading" (got "fastest")',
    )
    expect(await editorJson(page)).toBe(before)
    expect(await page.title()).toBe('● Work I must not lose — vCPU Lab')
    await shot(page, 'e2e-files-invalid', true)

    // Bad JSON: the parser's line and column.
    const typo = join(tmp, 'typo.json')
    writeFileSync(typo, '{\n  "schemaVersion": 1,\n  "name": "x"\n  "engine": "xen"\n}\n')
    await openFile(page, typo)
    await expect
      .poll(() => panel.getByTestId('file-problem').textContent())
      .toMatch(/^\(file\) not valid JSON: .*\(line 4, column 3\)$/)
    expect(await editorJson(page)).toBe(before)
    await shot(page, 'e2e-files-bad-json')
    expect(problems).toEqual([])
    await page.close()
  })

  it('opens a .json file dropped on the window', async () => {
    const { page, problems } = await lab.open()
    const text = presetText(ARM)
    const transfer = await page.evaluateHandle((t) => {
      const dt = new DataTransfer()
      dt.items.add(new File([t], 'arm-lost-cpu.json', { type: 'application/json' }))
      return dt
    }, text)
    const app = page.locator('.app')
    await app.dispatchEvent('dragenter', { dataTransfer: transfer })
    await page.getByTestId('drop-overlay').waitFor()
    await shot(page, 'e2e-files-drop-overlay')
    await app.dispatchEvent('drop', { dataTransfer: transfer })
    await expect.poll(() => page.title()).toBe('arm-lost-cpu.json — vCPU Lab')
    expect(await page.getByTestId('drop-overlay').count()).toBe(0)
    await page.getByTestId('tab-scenario').click()
    expect(await editorJson(page)).toBe(text)
    await page.getByTestId('run-button').click()
    await page.getByTestId('xen-layout').locator('canvas').first().waitFor({ timeout: 30_000 })
    await page.getByTestId('tab-lab').click()
    await shot(page, 'e2e-files-dropped')
    expect(problems).toEqual([])
    await page.close()
  })

  it('keeps unsaved work across a reload and offers it back', async () => {
    const { page, problems } = await lab.open()
    await pickPreset(page, DOORBELL)
    await page.getByTestId('tab-scenario').click()
    await page.locator('input[data-field="name"]').fill('Unsaved when the window closed')
    const edited = await editorJson(page)
    await expect
      .poll(() => page.getByTestId('document-name').getAttribute('data-draft-saved-at'), {
        timeout: 20_000,
      })
      .not.toBe('')
    await page.reload()
    await page.getByTestId('preset-item').first().waitFor()
    const offer = page.getByTestId('draft-offer')
    await offer.waitFor()
    expect(await offer.textContent()).toContain('“Unsaved when the window closed”')
    await shot(page, 'e2e-files-draft-offer')
    await offer.getByTestId('draft-restore').click()
    await expect.poll(() => page.title()).toBe('● Unsaved when the window closed — vCPU Lab')
    await page.getByTestId('tab-scenario').click()
    expect(await editorJson(page)).toBe(edited)
    // Discarded, it is not offered again.
    await page.reload()
    await page.getByTestId('draft-offer').waitFor()
    await page.getByTestId('draft-discard').click()
    await page.reload()
    await page.getByTestId('preset-item').first().waitFor()
    await page.getByTestId('recent-files').waitFor()
    expect(await page.getByTestId('draft-offer').count()).toBe(0)
    expect(problems).toEqual([])
    await page.close()
  })

  it('asks before unsaved work is replaced', async () => {
    const { page, problems } = await lab.open()
    await pickPreset(page, DOORBELL)
    await page.getByTestId('tab-scenario').click()
    await page.locator('input[data-field="name"]').fill('Half done')
    await page.locator(`[data-testid="preset-item"][data-preset-id="${ALIGNED}"]`).click()
    const dialog = page.getByTestId('unsaved-dialog')
    await dialog.waitFor()
    expect(await dialog.textContent()).toContain('Save the changes to Half done?')
    await shot(page, 'e2e-files-unsaved-dialog')
    await dialog.getByTestId('unsaved-cancel').click()
    expect(await page.getByTestId('scenario-name').textContent()).toBe('Half done')
    expect(problems).toEqual([])
    await page.close()
  })
})

describe('exports from the browser preview', () => {
  it('saves every chart as PNG at twice its size and as SVG, the same figures lab export draws', async () => {
    for (const id of [DOORBELL, ARM]) {
      const { page, problems } = await lab.open()
      await runPreset(page, id)
      const r = run(id)
      const figures = runFigures(r, { palette: LIGHT })
      const pane = page.getByTestId(r.engine === 'xen' ? 'xen-layout' : 'power-layout')
      await pane.locator('canvas').first().waitFor()
      for (const fig of figures) {
        const where = fig.id === 'layout' ? pane : page.getByTestId('timeline')
        const png = await downloadOf(page, () => where.getByTestId('export-png').click())
        expect(png.d.suggestedFilename()).toMatch(new RegExp(`-${fig.id}\\.png$`))
        expect(decodePng(png.data)).toMatchObject({ width: fig.width * 2, height: fig.height * 2 })
        writeFileSync(join(tmp, `${id}-${fig.id}.png`), png.data)
        const svg = await downloadOf(page, () => where.getByTestId('export-svg').click())
        const text = svg.data.toString('utf8')
        const parsed = new Resvg(text)
        expect([parsed.width, parsed.height]).toEqual([fig.width, fig.height])
        expect(text).toContain(r.scenario.name.replace(/&/g, '&amp;'))
        // The same figure as the headless export: the same elements and the same words. The page
        // measures text with the fonts it has, Node estimates: a long line may be cut elsewhere.
        const headless = figureSvg(fig)
        const tags = (s: string) => (s.match(/<[a-z]+\b/g) ?? []).sort()
        const words = (s: string) =>
          (s.match(/<text\b[^>]*>[^<]*/g) ?? [])
            .map((t) => t.replace(/^[^>]*>/, ''))
            .map((t) => (t.endsWith('...') ? `${t.slice(0, 24)}…` : t))
            .sort()
        expect(tags(text)).toEqual(tags(headless))
        expect(words(text)).toEqual(words(headless))
      }
      if (id === DOORBELL) {
        await pane.locator('.pane-head').scrollIntoViewIfNeeded()
        await shot(page, 'e2e-export-buttons')
      }
      expect(problems).toEqual([])
      await page.close()
    }
  })

  it('saves the trace and the CSV that lab export writes, and a report with no script', async () => {
    const { page, problems } = await lab.open()
    await runPreset(page, DOORBELL)
    const r = run(DOORBELL)
    const trace = await downloadOf(page, () => page.getByTestId('export-trace').click())
    expect(trace.d.suggestedFilename()).toBe(
      'power8-doorbells-before-the-fix-first-come-threads-trace.json',
    )
    const t = JSON.parse(trace.data.toString('utf8')) as TraceFile
    for (const e of t.traceEvents) {
      expect(['X', 'M', 's', 'f']).toContain(e.ph)
      expect(Number.isInteger(e.pid) && Number.isInteger(e.tid)).toBe(true)
      if (e.ph !== 'M') expect(e.ts).toBeGreaterThanOrEqual(0)
    }
    const flows = t.traceEvents.filter((e) => e.ph === 's').map((e) => e.id)
    expect(flows.length).toBeGreaterThan(0)
    expect(t.traceEvents.filter((e) => e.ph === 'f').map((e) => e.id)).toEqual(flows)
    expect(t).toEqual(toTrace(r))

    const csv = await downloadOf(page, () => page.getByTestId('export-csv').click())
    const lines = csv.data.toString('utf8').trimEnd().split('\r\n')
    expect(lines[0]).toMatch(/^kind,at,/)
    expect(lines).toHaveLength(r.events.length + 1)
    expect(csv.data.toString('utf8')).toBe(eventsToCsv(r))

    const report = await downloadOf(page, () => page.getByTestId('export-report').click())
    const html = report.data.toString('utf8')
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).not.toMatch(/<script/i)
    expect(html.match(/<svg\b/g)?.length).toBeGreaterThanOrEqual(2)
    for (const c of r.checks) expect(html).toContain(escapeHtml(c.message))

    // PDF needs the desktop app, and the page says so instead of pretending.
    expect(await page.getByTestId('export-pdf').isDisabled()).toBe(true)
    expect(await page.getByTestId('pdf-desktop-only').textContent()).toContain('desktop app only')
    expect(problems).toEqual([])
    await page.close()

    // The report stands alone: with JavaScript off it shows, and Chromium prints it to PDF.
    const ctx = await lab.browser.newContext({ javaScriptEnabled: false })
    const viewer = await ctx.newPage()
    const viewerProblems: string[] = []
    viewer.on('console', (m) => viewerProblems.push(m.text()))
    viewer.on('request', (req) => {
      if (!req.url().startsWith('data:') && !req.url().startsWith('file:'))
        viewerProblems.push(req.url())
    })
    const file = join(tmp, 'report.html')
    writeFileSync(file, html)
    await viewer.goto(`file://${file}`)
    await viewer.screenshot({ path: join(tmp, 'report.png'), fullPage: true })
    await viewer.screenshot({ path: join(process.cwd(), 'test-results', 'e2e-export-report.png') })
    const pdf = await viewer.pdf({ format: 'A4', printBackground: true })
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    expect(viewerProblems).toEqual([])
    await ctx.close()
  })

  it('exports each layout of the compare view under its own design', async () => {
    const { page, problems } = await lab.open()
    await pickPreset(page, DOORBELL)
    await page.getByTestId('tab-compare').click()
    await page.getByTestId('compare-button').click()
    const view = page.getByTestId('compare-view')
    await view.locator('[data-testid="power-layout"] canvas').nth(1).waitFor({ timeout: 30_000 })
    const panes = view.getByTestId('power-layout')
    expect(await panes.count()).toBe(2)
    const b = await downloadOf(page, () => panes.nth(1).getByTestId('export-svg').click())
    expect(b.d.suggestedFilename()).toBe(
      'power8-doorbells-before-the-fix-first-come-threads-aligned-layout.svg',
    )
    expect(b.data.toString('utf8')).toContain('design aligned')
    const a = await downloadOf(page, () => panes.nth(0).getByTestId('export-png').click())
    expect(decodePng(a.data).width).toBeGreaterThan(1000)
    expect(problems).toEqual([])
    await page.close()
  })
})
