/**
 * The lab as a person meets it in the browser preview: Debian's Chromium driven by playwright-core
 * through src/host, the same renderer and contract as the desktop app. Screenshots go to
 * test-results/ for a person to look at.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHost, type RunningHost } from '../../src/host/server'
import { createLabHandlers } from '../../src/services/labService'
import { PRESETS_DIR, PROJECT_ROOT, RENDERER_DIR } from '../../src/services/paths'
import { sourceWorkerSpawner, workerRunner, type RunRunner } from '../../src/services/runRunner'
import { CHROMIUM_ARGS, findChromium } from '../support/chromium'

const SHOTS = join(PROJECT_ROOT, 'test-results')
let host: RunningHost
let browser: Browser
let runner: RunRunner

beforeAll(async () => {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`${RENDERER_DIR} is not built: npm test builds it first (electron-vite build)`)
  }
  mkdirSync(SHOTS, { recursive: true })
  // As `npm run preview:web` does: engines in a worker, so cancelRun is answered during a run.
  runner = workerRunner({ spawn: sourceWorkerSpawner() })
  host = await startHost({
    port: 0,
    rendererDir: RENDERER_DIR,
    handlers: createLabHandlers({
      presetsDir: PRESETS_DIR,
      appVersion: 'e2e',
      carrier: 'web',
      runner,
    }),
  })
  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
})

afterAll(async () => {
  await browser?.close()
  await host?.close()
  await runner?.close()
})

async function openLab(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  await page.goto(host.url)
  await page.getByTestId('preset-item').first().waitFor()
  return { page, problems }
}

async function runPreset(page: Page, id: string): Promise<void> {
  await page.locator(`[data-testid="preset-item"][data-preset-id="${id}"]`).click()
  await page.getByTestId('run-button').click()
  await page.getByTestId('status').filter({ hasText: /^Ran / }).waitFor()
}

describe('the lab in Chromium', () => {
  it('picks the POWER8 preset, runs it and draws the cores × threads grid', async () => {
    const { page, problems } = await openLab()
    await runPreset(page, 'book3s-power8-aligned-vcores')
    const chart = page.getByTestId('power-layout').locator('.layout-chart')
    await chart.locator('canvas').first().waitFor()
    expect(await chart.getAttribute('data-threads')).toBe('16')
    expect(await chart.getAttribute('data-occupied')).toBe('12')
    expect(await page.getByTestId('power-layout-summary').textContent()).toContain(
      'vcpu 13 on thread 5',
    )
    // The canvas really has a picture on it, not a blank rectangle.
    const inked = await chart
      .locator('canvas')
      .first()
      .evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
        let n = 0
        for (let i = 0; i < d.length; i += 4)
          if (d[i]! < 200 || d[i + 1]! < 200 || d[i + 2]! < 200) n++
        return n
      })
    expect(inked).toBeGreaterThan(5000)
    await expect.poll(() => page.locator('[data-testid="checks"] .check.failed').count()).toBe(0)
    expect(await page.locator('[data-testid="checks"] .check.ok').count()).toBeGreaterThanOrEqual(5)
    await page.screenshot({ path: join(SHOTS, 'e2e-power8-aligned.png') })
    expect(problems).toEqual([])
    await page.close()
  })

  it('shows the first-come preset failing the alignment check, naming the vcpus', async () => {
    const { page, problems } = await openLab()
    await runPreset(page, 'book3s-power7-first-come-misaligned')
    const failed = page.locator('[data-testid="checks"] .check.failed')
    await expect.poll(() => failed.count()).toBe(1)
    expect(await failed.textContent()).toContain('vcpu 5 (virtual thread 1) on physical thread 0')
    await page.screenshot({ path: join(SHOTS, 'e2e-power7-first-come.png') })
    expect(problems).toEqual([])
    await page.close()
  })

  it('answers an invalid scenario through window.lab with every problem and its path', async () => {
    const { page } = await openLab()
    const out = await page.evaluate(() =>
      window.lab!.run({
        scenario: {
          schemaVersion: 1,
          name: 'x',
          engine: 'xen',
          guest: { type: 'pvhvm', maxVcpus: 0 },
          linux: { design: 'raw-cpu' },
        },
      }),
    )
    expect(out).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-scenario',
        problems: [
          { path: 'guest.maxVcpus', message: 'must be an integer from 1 to 4096 (got 0)' },
        ],
      },
    })
    await page.close()
  })
})
