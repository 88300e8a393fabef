/**
 * The real Electron window. It needs the Electron binary, which npm downloads from GitHub on first
 * use; where there is none (as on the project's build machines), this test says plainly that it
 * did not run. Point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron to run it.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../src/services/paths'
import { LAB_METHODS } from '../../src/shared/contract'

function electronBinary(): string | null {
  const dist =
    process.env.ELECTRON_OVERRIDE_DIST_PATH ??
    join(PROJECT_ROOT, 'node_modules', 'electron', 'dist')
  const bin = join(
    dist,
    process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron',
  )
  return existsSync(bin) ? bin : null
}

const binary = electronBinary()
const NOT_RUN =
  'NOT RUN: no Electron binary on this machine (npm fetches it from GitHub on first use); set ELECTRON_OVERRIDE_DIST_PATH to run the desktop window test'

describe('the desktop window (Electron)', () => {
  if (!binary) {
    it.skip(`opens sandboxed with window.lab and runs a preset: ${NOT_RUN}`, () => undefined)
    it.skip(`saves, opens and prints the report through main's dialogs: ${NOT_RUN}`, () =>
      undefined)
    console.warn(`[electron.test] ${NOT_RUN}`)
    return
  }
  /** The app with a fresh userData folder (no recent files, no draft from an earlier run). */
  const launch = (dir: string) =>
    electron.launch({
      executablePath: binary,
      args: [join(PROJECT_ROOT, 'out', 'main', 'index.js'), `--user-data-dir=${join(dir, 'ud')}`],
    })

  it('opens sandboxed with window.lab and runs a preset', async () => {
    const app = await launch(mkdtempSync(join(tmpdir(), 'lab-electron-')))
    const win = await app.firstWindow()
    expect(await win.title()).toBe('vCPU Lab')
    expect(await win.evaluate(() => Object.keys(window.lab ?? {}).sort())).toEqual(
      [...LAB_METHODS, 'onRunProgress', 'onMenuCommand'].sort(),
    )
    expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
      'undefined',
    )
    await win
      .locator('[data-testid="preset-item"][data-preset-id="book3s-power8-aligned-vcores"]')
      .click()
    await win.getByTestId('run-button').click()
    await win.getByTestId('power-layout').locator('canvas').first().waitFor()
    await win.screenshot({ path: join(PROJECT_ROOT, 'test-results', 'electron-window.png') })
    await app.close()
  })

  it('saves, opens and prints the report through the main process’s dialogs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-electron-'))
    const saved = join(dir, 'saved.json')
    const pdf = join(dir, 'report.pdf')
    const app = await launch(dir)
    // The dialogs answer as a person would: these paths, in turn.
    await app.evaluate(
      ({ dialog }, p) => {
        const saves = [...p.saves]
        Object.assign(dialog, {
          showSaveDialog: async () => ({ canceled: false, filePath: saves.shift() }),
          showOpenDialog: async () => ({ canceled: false, filePaths: [p.open] }),
        })
      },
      { saves: [saved, pdf], open: saved },
    )
    const win = await app.firstWindow()
    await win
      .locator('[data-testid="preset-item"][data-preset-id="book3s-power8-doorbell-first-come"]')
      .click()
    await win.getByTestId('save-button').click()
    await expect.poll(() => existsSync(saved)).toBe(true)
    await expect.poll(() => win.title()).toBe('saved.json — vCPU Lab')
    expect(await win.getByTestId('recent-file').first().textContent()).toContain('saved.json')
    await win.getByTestId('run-button').click()
    await win.getByTestId('power-layout').locator('canvas').first().waitFor()
    await win.getByTestId('export-pdf').click()
    await expect.poll(() => existsSync(pdf), { timeout: 30_000 }).toBe(true)
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-')
    await win
      .locator('[data-testid="preset-item"][data-preset-id="book3s-power8-aligned-vcores"]')
      .click()
    await win.getByTestId('open-button').click()
    await expect.poll(() => win.title()).toBe('saved.json — vCPU Lab')
    await app.close()
  })
})
