/**
 * Exports of a run from the app: each chart as PNG (2×) or SVG, the run as a Chrome trace and its
 * events as CSV, and the report as HTML or PDF. The images come from the same figure builders as
 * `lab export`; the far side only asks where to save (or downloads, in the browser preview).
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ExportWhat, Outcome, SaveResult } from '../../../shared/contract'
import { LIGHT, type Palette } from '../../../shared/charts/palette'
import { eventsToCsv } from '../../../shared/export/csv'
import { layoutFigure, runFigures, timelineFigure } from '../../../shared/export/figures'
import { buildReportHtml } from '../../../shared/export/report'
import { traceJson } from '../../../shared/export/trace'
import { exportFileName } from '../../../shared/files/fileNames'
import type { RunResult } from '../../../shared/result'
import { useLabClient, type LabClient } from '../api/labClient'
import { figurePngBase64, figureSvg } from '../exports/figureImages'
import { useFilesStore } from './files'

const LABELS: Record<ExportWhat, string> = {
  'layout-png': 'the layout as PNG',
  'layout-svg': 'the layout as SVG',
  'timeline-png': 'the timeline as PNG',
  'timeline-svg': 'the timeline as SVG',
  trace: 'the trace',
  csv: 'the events as CSV',
  'report-html': 'the report',
  'report-pdf': 'the report as PDF',
}

/** The report page: the run's figures (light, as the page is), its checks, metrics and scenario. */
export function reportHtml(result: RunResult, generatedBy: string): string {
  const figures = runFigures(result, { palette: LIGHT }).map((f) => ({
    caption: f.caption,
    svg: figureSvg(f),
  }))
  return buildReportHtml({ result, figures, generatedBy })
}

/** Who made an export and when, for the report's footer: the app's version and the UTC minute. */
function generatedBy(): string {
  const version = useFilesStore().appInfo?.version ?? ''
  const at = new Date().toISOString().slice(0, 16).replace('T', ' ')
  return `vCPU Lab ${version}, ${at} UTC`.replace('  ', ' ')
}

/** A file name for one part of the run's exports (`part` is a figure's caption, `trace`, ...). */
function exportName(result: RunResult, part: string, ext: string): string {
  return exportFileName(result.scenario.name, result.design, part, ext)
}

/** The layout or timeline chart, drawn with `palette`, saved as PNG (2×) or SVG. */
function saveFigure(
  client: LabClient,
  result: RunResult,
  what: 'layout-png' | 'timeline-png' | 'layout-svg' | 'timeline-svg',
  palette: Palette,
): Promise<Outcome<SaveResult>> {
  const fig = what.startsWith('layout')
    ? layoutFigure(result, { palette })
    : timelineFigure(result, { palette })
  return what.endsWith('png')
    ? client.saveExport({
        format: 'png',
        suggestedName: exportName(result, fig.caption, 'png'),
        data: figurePngBase64(fig, palette.background),
        encoding: 'base64',
      })
    : client.saveExport({
        format: 'svg',
        suggestedName: exportName(result, fig.caption, 'svg'),
        data: figureSvg(fig),
        encoding: 'utf8',
      })
}

/** Makes the export `what` of the run and hands it to the far side to save (or download). */
async function makeExport(
  result: RunResult,
  what: ExportWhat,
  palette: Palette,
): Promise<Outcome<SaveResult>> {
  const client = useLabClient()
  const name = (part: string, ext: string) => exportName(result, part, ext)
  switch (what) {
    case 'layout-png':
    case 'timeline-png':
    case 'layout-svg':
    case 'timeline-svg':
      return saveFigure(client, result, what, palette)
    case 'trace':
      return client.saveExport({
        format: 'trace',
        suggestedName: name('trace', 'json'),
        data: traceJson(result),
        encoding: 'utf8',
      })
    case 'csv':
      return client.saveExport({
        format: 'csv',
        suggestedName: name('events', 'csv'),
        data: eventsToCsv(result),
        encoding: 'utf8',
      })
    case 'report-html':
      return client.saveExport({
        format: 'html',
        suggestedName: name('report', 'html'),
        data: reportHtml(result, generatedBy()),
        encoding: 'utf8',
      })
    case 'report-pdf':
      return client.exportPdf({
        suggestedName: name('report', 'pdf'),
        html: reportHtml(result, generatedBy()),
      })
  }
}

export const useExportsStore = defineStore('exports', () => {
  /** The export being made, if any. */
  const busy = ref<ExportWhat | null>(null)

  /** Makes the export and hands it to the far side; says what happened. */
  async function exportRun(
    result: RunResult | null,
    what: ExportWhat,
    palette: Palette,
  ): Promise<boolean> {
    const files = useFilesStore()
    if (!result) {
      files.say('info', `Nothing to export yet: run a scenario first, then save ${LABELS[what]}.`)
      return false
    }
    if (busy.value) return false
    busy.value = what
    try {
      return reportSaved(files, await makeExport(result, what, palette), LABELS[what])
    } catch (err) {
      files.say('error', `Could not make ${LABELS[what]}: ${(err as Error).message}`)
      return false
    } finally {
      busy.value = null
    }
  }

  /**
   * The timeline's area selection as CSV (areaCsv), saved or downloaded like the events CSV.
   * Not an ExportWhat: it is a view's table, not a part of the run the menu offers.
   */
  async function exportAreaCsv(result: RunResult, csv: string): Promise<boolean> {
    const files = useFilesStore()
    try {
      const out = await useLabClient().saveExport({
        format: 'csv',
        suggestedName: exportName(result, 'area', 'csv'),
        data: csv,
        encoding: 'utf8',
      })
      return reportSaved(files, out, 'the area’s table')
    } catch (err) {
      files.say('error', `Could not save the area’s table: ${(err as Error).message}`)
      return false
    }
  }

  return { busy, exportRun, exportAreaCsv }
})

/** What a save's outcome tells the user: its error, nothing for a dialog cancelled, or where. */
function reportSaved(
  files: ReturnType<typeof useFilesStore>,
  out: Outcome<SaveResult>,
  label: string,
): boolean {
  if (!out.ok) {
    files.sayError(out.error)
    return false
  }
  if (!out.value.saved) return false
  files.say('ok', `${files.isWeb ? 'Downloaded' : 'Saved'} ${label}: “${out.value.name}”.`)
  return true
}
