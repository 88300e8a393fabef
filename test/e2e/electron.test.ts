/**
 * The real Electron window. It needs the Electron binary, which npm downloads from GitHub on first
 * use; where there is none (as on the project's build machines), this test says plainly that it
 * did not run. Point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron to run it.
 */
import { existsSync } from 'node:fs'
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
    console.warn(`[electron.test] ${NOT_RUN}`)
    return
  }
  it('opens sandboxed with window.lab and runs a preset', async () => {
    const app = await electron.launch({
      executablePath: binary,
      args: [join(PROJECT_ROOT, 'out', 'main', 'index.js')],
    })
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
})
