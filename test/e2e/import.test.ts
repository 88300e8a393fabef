/**
 * Issue 18 in Chromium: a QEMU command line and an xl.cfg pasted into Import…, loaded into the
 * editor with the import's report, run, and shown as ppc64_cpu --info, info cpus and xl vcpu-list
 * print them. Screenshots in test-results/ for a person to look at; no console error or warning.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { PROJECT_ROOT } from '../../src/services/paths'
import { shot, startLabBrowser, type LabBrowser } from '../support/labBrowser'

let lab: LabBrowser
beforeAll(async () => {
  lab = await startLabBrowser()
})
afterAll(() => lab?.close())

const example = (f: string) => readFileSync(join(PROJECT_ROOT, 'docs', 'examples', f), 'utf8')

/** Opens Import…, pastes the text and imports it. */
async function importText(page: Page, text: string): Promise<void> {
  await page.getByTestId('import-button').click()
  await page.getByTestId('import-text').fill(text)
  await page.getByTestId('import-run').click()
}

async function runIt(page: Page): Promise<void> {
  await page.getByTestId('run-button').click()
  await page.getByTestId('status').filter({ hasText: /^Ran / }).waitFor({ timeout: 30_000 })
}

describe('Import… in Chromium', () => {
  it('a QEMU pseries line: the report, the editor, the run, ppc64_cpu --info and info cpus', async () => {
    const { page, problems } = await lab.open()
    await importText(page, example('qemu-pseries-4.1-smt2.sh'))
    await page.getByTestId('import-loaded').waitFor()
    expect(await page.getByTestId('import-ignored').textContent()).toContain('-m = 8G')
    expect(await page.getByTestId('import-assumed').textContent()).toContain('vsmt')
    await shot(page, 'e2e-import-qemu-report')
    await page.getByTestId('import-close').click()
    expect(await page.getByTestId('document-name').getAttribute('data-dirty')).toBe('true')
    await runIt(page)
    const out = page.getByTestId('run-view-output')
    await page.getByTestId('run-view-ppc64-cpu-info').click()
    expect(await out.textContent()).toContain('Core   1:    2*    3* ')
    expect(await page.getByTestId('run-view-notes').textContent()).toContain('CPU 2: vcpu id 8,')
    await page.getByTestId('run-views').scrollIntoViewIfNeeded()
    await shot(page, 'e2e-import-qemu-ppc64-cpu-info')
    await page.getByTestId('run-view-qemu-info-cpus').click()
    expect((await out.textContent())?.split('\n').slice(1, 3)).toEqual([
      '* CPU #0: thread_id=-',
      '  CPU #1: thread_id=-',
    ])
    expect(problems).toEqual([])
    await page.close()
  })

  it('an xl.cfg: a PVHVM guest with 2 of 4 vCPUs online, xl vcpu-list with and without the offline ones', async () => {
    const { page, problems } = await lab.open()
    await importText(page, example('xl-hvm-2-of-4.cfg'))
    await page.getByTestId('import-loaded').waitFor()
    await page.getByTestId('import-close').click()
    await runIt(page)
    const out = page.getByTestId('run-view-output')
    await expect.poll(async () => (await out.textContent())?.match(/ --p /g)?.length ?? 0).toBe(2)
    expect(await out.textContent()).toContain('Affinity (Hard / Soft)')
    await page.getByTestId('run-views').scrollIntoViewIfNeeded()
    await shot(page, 'e2e-import-xl-vcpu-list')
    await page.getByTestId('run-view-offline').uncheck()
    await expect.poll(async () => (await out.textContent())?.match(/ --p /g)?.length ?? 0).toBe(0)
    expect(problems).toEqual([])
    await page.close()
  })

  it('a refused configuration shows every problem with where it is and leaves the editor alone', async () => {
    const { page, problems } = await lab.open()
    await importText(page, 'name = "x"\nvcpus = 4\nmaxvcpu = 8\n')
    const shown = page.getByTestId('import-problems')
    await shown.waitFor()
    expect(await shown.textContent()).toContain(
      'line 3, column 1: maxvcpu: not an option of xl.cfg(5) (did you mean "maxvcpus"?)',
    )
    await shot(page, 'e2e-import-refused')
    await page.getByTestId('import-close').click()
    expect(await page.getByTestId('document-name').count()).toBe(0)
    expect(problems).toEqual([])
    await page.close()
  })
})
