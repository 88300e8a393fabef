// @vitest-environment happy-dom
/**
 * Export buttons with a fake far side: every chart's PNG and SVG (the figures `lab export` draws),
 * the trace, the CSV and the report; PDF only in the desktop app. happy-dom has no canvas, so the
 * PNG encoder is replaced here; Chromium draws the real one (test/e2e/files.test.ts).
 */
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import App from '../../src/renderer/src/App.vue'
import CompareView from '../../src/renderer/src/components/CompareView.vue'
import type * as FigureImages from '../../src/renderer/src/exports/figureImages'
import { useEditorStore } from '../../src/renderer/src/stores/editor'
import { LIGHT } from '../../src/shared/charts/palette'
import type { SaveExportRequest } from '../../src/shared/contract'
import { layoutFigure } from '../../src/shared/export/figures'
import { mountLab, unmountAll } from './mountLab'
import { ARM_REGRESSION, DOORBELL, presetDoc, presetRun, presetSummary } from './presetsFixture'

vi.mock('../../src/renderer/src/exports/figureImages', async (original) => ({
  ...(await original<typeof FigureImages>()),
  figurePngBase64: (fig: { width: number; height: number }) =>
    btoa(`png ${fig.width * 2}x${fig.height * 2}`),
}))

afterEach(unmountAll)

const presets = [presetSummary(DOORBELL), presetSummary(ARM_REGRESSION)]
const documents = { [DOORBELL]: presetDoc(DOORBELL), [ARM_REGRESSION]: presetDoc(ARM_REGRESSION) }
const doorbell = presetRun(DOORBELL)

async function ranDoorbell(carrier: 'web' | 'electron' = 'web') {
  const lab = await mountLab(App, { presets, documents, result: doorbell, carrier })
  await lab.wrapper.get(`[data-preset-id="${DOORBELL}"]`).trigger('click')
  await flushPromises()
  await lab.wrapper.get('[data-testid="run-button"]').trigger('click')
  await flushPromises()
  return lab
}

const exportsOf = (fake: { callsOf(m: 'saveExport'): unknown[] }) =>
  fake.callsOf('saveExport') as SaveExportRequest[]

describe('chart export buttons', () => {
  it('are on every chart that has a run, and none where there is nothing to draw', async () => {
    const { wrapper } = await ranDoorbell()
    expect(wrapper.findAll('[data-testid="power-layout"] [data-testid="export-png"]')).toHaveLength(
      1,
    )
    expect(wrapper.findAll('[data-testid="timeline"] [data-testid="export-svg"]')).toHaveLength(1)
    expect(wrapper.findAll('[data-testid="xen-layout"] [data-testid="export-png"]')).toHaveLength(0)
  })

  it('save the layout as the same SVG figure lab export draws, named after the scenario', async () => {
    const { wrapper, fake } = await ranDoorbell()
    await wrapper.get('[data-testid="power-layout"] [data-testid="export-svg"]').trigger('click')
    await flushPromises()
    const [req] = exportsOf(fake)
    const fig = layoutFigure(doorbell, { palette: LIGHT })
    expect(req).toMatchObject({
      format: 'svg',
      encoding: 'utf8',
      suggestedName: 'power8-doorbells-before-the-fix-first-come-threads-layout.svg',
    })
    expect(req!.data).toMatch(new RegExp(`^<svg width="${fig.width}" height="${fig.height}"`))
    expect(req!.data).toContain('POWER8 doorbells before the fix')
    expect(req!.data).toContain('runs a vcpu')
    expect(wrapper.get('[data-testid="notice"]').text()).toBe(
      'Downloaded the layout as SVG: “power8-doorbells-before-the-fix-first-come-threads-layout.svg”. dismiss',
    )
  })

  it('save the timeline as PNG at twice the figure’s size, as base64', async () => {
    const { wrapper, fake } = await ranDoorbell()
    await wrapper.get('[data-testid="timeline"] [data-testid="export-png"]').trigger('click')
    await flushPromises()
    const [req] = exportsOf(fake)
    expect(req).toMatchObject({ format: 'png', encoding: 'base64' })
    expect(req!.suggestedName).toMatch(/-timeline\.png$/)
    expect(atob(req!.data)).toMatch(/^png 2400x\d+$/)
  })

  it('are on both layouts of the compare view, each with its own design', async () => {
    const runs = { 'first-come': doorbell, aligned: presetRun(DOORBELL, 'aligned') }
    const { wrapper, fake } = await mountLab(CompareView, {
      result: (req) => runs[req.design as keyof typeof runs],
    })
    useEditorStore().load(presetDoc(DOORBELL), null)
    await flushPromises()
    await wrapper.get('[data-testid="compare-button"]').trigger('click')
    await flushPromises()
    const buttons = wrapper.findAll('[data-testid="export-svg"]')
    expect(buttons).toHaveLength(2)
    await buttons[1]!.trigger('click')
    await flushPromises()
    const [req] = exportsOf(fake)
    expect(req!.suggestedName).toBe(
      'power8-doorbells-before-the-fix-first-come-threads-aligned-layout.svg',
    )
    expect(req!.data).toContain('design aligned')
  })
})

describe('run exports', () => {
  it('save the trace, the events as CSV and the report', async () => {
    const { wrapper, fake } = await ranDoorbell()
    for (const id of ['export-trace', 'export-csv', 'export-report']) {
      await wrapper.get(`[data-testid="${id}"]`).trigger('click')
      await flushPromises()
    }
    const [trace, csv, report] = exportsOf(fake)
    expect(trace).toMatchObject({
      format: 'trace',
      suggestedName: expect.stringMatching(/-trace\.json$/),
    })
    expect(JSON.parse(trace!.data).traceEvents.length).toBeGreaterThan(0)
    expect(csv!.data.split('\r\n')[0]).toMatch(/^kind,at,/)
    expect(csv!.data.trimEnd().split('\r\n')).toHaveLength(doorbell.events.length + 1)
    expect(report).toMatchObject({
      format: 'html',
      suggestedName: expect.stringMatching(/-report\.html$/),
    })
    expect(report!.data).toMatch(/^<!doctype html>/)
    expect(report!.data).not.toMatch(/<script/i)
    expect(report!.data).toContain('vCPU Lab 0.0.0-test')
  })

  it('offer PDF in the desktop app, and say in the browser preview that it is desktop only', async () => {
    const web = await ranDoorbell('web')
    expect(web.wrapper.get('[data-testid="export-pdf"]').attributes('disabled')).toBeDefined()
    expect(web.wrapper.get('[data-testid="pdf-desktop-only"]').text()).toContain('desktop app only')
    unmountAll()
    const desktop = await ranDoorbell('electron')
    expect(desktop.wrapper.find('[data-testid="pdf-desktop-only"]').exists()).toBe(false)
    await desktop.wrapper.get('[data-testid="export-pdf"]').trigger('click')
    await flushPromises()
    const [req] = desktop.fake.callsOf('exportPdf') as { html: string; suggestedName: string }[]
    expect(req!.suggestedName).toMatch(/-report\.pdf$/)
    expect(req!.html).toMatch(/^<!doctype html>/)
    expect(desktop.wrapper.get('[data-testid="notice"]').text()).toContain(
      'Saved the report as PDF',
    )
  })

  it('come from the File menu too, for the run the timeline shows', async () => {
    const { fake } = await ranDoorbell('electron')
    fake.menu({ command: 'export', what: 'layout-png' })
    await flushPromises()
    fake.menu({ command: 'export', what: 'csv' })
    await flushPromises()
    expect(exportsOf(fake).map((r) => r.format)).toEqual(['png', 'csv'])
  })

  it('say there is nothing to export before a run', async () => {
    const { wrapper, fake } = await mountLab(App, { presets, documents, carrier: 'electron' })
    fake.menu({ command: 'export', what: 'trace' })
    await flushPromises()
    expect(wrapper.get('[data-testid="notice"]').text()).toContain('Nothing to export yet')
    expect(exportsOf(fake)).toEqual([])
  })
})
