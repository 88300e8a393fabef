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
