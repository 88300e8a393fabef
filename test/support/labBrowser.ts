/**
 * The lab as the end-to-end tests meet it: the built renderer served by src/host with engines in
 * a worker (as `npm run preview:web` does), driven in the machine's Chromium. Every page records
 * console errors and warnings (a CSP violation is one) so a test can assert there were none.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startHost, type RunningHost } from '../../src/host/server'
import { createLabHandlers } from '../../src/services/labService'
import { PRESETS_DIR, PROJECT_ROOT, RENDERER_DIR } from '../../src/services/paths'
import { sourceWorkerSpawner, workerRunner, type RunRunner } from '../../src/services/runRunner'
import { CHROMIUM_ARGS, findChromium } from './chromium'

export const SHOTS = join(PROJECT_ROOT, 'test-results')

export interface LabBrowser {
  host: RunningHost
  browser: Browser
  runner: RunRunner
  open(
    viewport?: { width: number; height: number },
    colorScheme?: 'light' | 'dark',
  ): Promise<{ page: Page; problems: string[] }>
  close(): Promise<void>
}

/**
 * `maxRecorded` raises the record bound of the host's runs (the engines' MAX_RECORDED when absent),
 * for a test that needs a run lasting seconds.
 */
export async function startLabBrowser(opts: { maxRecorded?: number } = {}): Promise<LabBrowser> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`${RENDERER_DIR} is not built: npm test builds it first (electron-vite build)`)
  }
  mkdirSync(SHOTS, { recursive: true })
  const runner = workerRunner({ spawn: sourceWorkerSpawner(), maxRecorded: opts.maxRecorded })
  const host = await startHost({
    port: 0,
    rendererDir: RENDERER_DIR,
    handlers: createLabHandlers({
      presetsDir: PRESETS_DIR,
      appVersion: 'e2e',
      carrier: 'web',
      runner,
    }),
  })
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
  return {
    host,
    browser,
    runner,
    async open(viewport = { width: 1400, height: 1000 }, colorScheme = 'light') {
      const page = await browser.newPage({ viewport, colorScheme })
      const problems: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning')
          problems.push(`${m.type()}: ${m.text()}`)
      })
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
      await page.goto(host.url)
      await page.getByTestId('preset-item').first().waitFor()
      return { page, problems }
    },
    async close() {
      await browser.close()
      await host.close()
      await runner.close()
    },
  }
}

/** Picks a preset and runs it; resolves when the status says it ran. */
export async function runPreset(page: Page, id: string): Promise<void> {
  await page.locator(`[data-testid="preset-item"][data-preset-id="${id}"]`).click()
  await page.getByTestId('run-button').click()
  await page.getByTestId('status').filter({ hasText: /^Ran / }).waitFor({ timeout: 30_000 })
}

export const shot = (page: Page, name: string, fullPage = false) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage })

/**
 * Puts `scenario` in the editor as a new scenario of its engine, clicks Run, and waits for the
 * status to say it ran and for the timeline's first frame: the milliseconds from the click to each.
 */
export async function runInEditor(
  page: Page,
  scenario: unknown,
  timeoutMs: number,
): Promise<{ ranMs: number; drawnMs: number }> {
  const engine = (scenario as { engine: string }).engine
  await page.getByTestId('tab-scenario').click()
  await page.getByTestId('editor-start').selectOption(`new-${engine}`)
  await page.getByTestId('scenario-json').fill(JSON.stringify(scenario))
  const t0 = Date.now()
  await page.getByTestId('editor-run').click()
  await page.getByTestId('status').filter({ hasText: /^Ran / }).waitFor({ timeout: timeoutMs })
  const ranMs = Date.now() - t0
  const timeline = page.getByTestId('timeline')
  const deadline = Date.now() + timeoutMs
  while (!(await timeline.getAttribute('data-frame-times'))) {
    if (Date.now() > deadline) throw new Error('the timeline drew no frame')
    await page.waitForTimeout(20)
  }
  return { ranMs, drawnMs: Date.now() - t0 }
}
