/**
 * The browser cases of the bench (bench/cases.ts, BROWSER_CASES): the lab in Chromium through the
 * browser preview, as the end-to-end tests drive it. Figures and ratios to the targets; nothing
 * passes or fails. Without Chromium or the built renderer a case says so and what to do.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { runScenario } from '../src/engines'
import { RENDERER_DIR } from '../src/services/paths'
import { findChromium } from '../test/support/chromium'
import { runInEditor, startLabBrowser, type LabBrowser } from '../test/support/labBrowser'
import { allFrames, driveTimeline, frameStats } from '../test/support/timelineFrames'
import { CASES, WARM_UP_SCENARIO, timelineMillionDocument, type BrowserCase } from './cases'
import { ratio, s, timed, type LabMeasure } from './labMeasures'

/** Why a browser case cannot run here, or null. */
function cannotRun(): string | null {
  try {
    findChromium()
  } catch (e) {
    return (e as Error).message
  }
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    return `the renderer is not built (${RENDERER_DIR}): npm run build first`
  }
  return null
}

/** A first small run starts the host's worker (its loader and the engines), so it is not timed:
 * the app's pool is started when the app is. */
async function warmed(): Promise<LabBrowser> {
  const lab = await startLabBrowser()
  await lab.runner.run({ scenario: WARM_UP_SCENARIO, runId: 'warm' })
  return lab
}

export async function measureBrowser(c: BrowserCase): Promise<LabMeasure> {
  const base = { name: c.name, events: 0, cpuMs: 0, eventsPerSec: 0, heapMB: 0 }
  const why = cannotRun()
  if (why) return { ...base, wallMs: 0, text: `NOT RUN: ${why}` }
  const lab = await warmed()
  try {
    return c.measure === 'drawn' ? await drawn(c, lab, base) : await frames(lab, base)
  } finally {
    await lab.close()
  }
}

type Base = Omit<LabMeasure, 'wallMs' | 'text'>

async function drawn(c: BrowserCase, lab: LabBrowser, base: Base): Promise<LabMeasure> {
  const of = CASES.find((x) => x.name === c.of)
  if (!of) throw new Error(`${c.name}: no case ${c.of}`)
  const engine = timed(() => runScenario(of.build()))
  const { page } = await lab.open({ width: 1400, height: 1000 })
  const { drawnMs } = await runInEditor(page, of.document(), 240_000)
  const unpackMs = await page.evaluate(() => {
    const m = performance.getEntriesByName('lab: run unpacked').at(-1)
    return m ? m.duration : null
  })
  await page.close()
  const r = drawnMs / engine.ms
  const text =
    `Run to timeline drawn in Chromium ${s(drawnMs)}` +
    (unpackMs === null ? '' : ` (page unpack ${s(unpackMs)})`) +
    `, the engine ${s(engine.ms)} here: ${ratio(r)}× / target 2× = ${ratio(r / 2)}`
  return {
    ...base,
    events: engine.value.events.length,
    eventsPerSec: Math.round(engine.value.events.length / (drawnMs / 1000)),
    wallMs: Math.round(drawnMs),
    text,
  }
}

async function frames(lab: LabBrowser, base: Base): Promise<LabMeasure> {
  const { page } = await lab.open({ width: 1400, height: 1000 })
  const { drawnMs } = await runInEditor(page, timelineMillionDocument(), 240_000)
  const spans = Number(await page.getByTestId('timeline').getAttribute('data-spans'))
  const driven = await driveTimeline(page)
  await page.close()
  const all = frameStats(allFrames(driven))
  const part = (name: string, xs: number[]) => {
    const st = frameStats(xs)
    return `${name} ${st.median}/${st.max}`
  }
  const text =
    `${spans.toLocaleString('en-US')} spans drawn in ${s(drawnMs)}; ${all.n} frames: ` +
    `median ${all.median} ms / target 16 = ${ratio(all.median / 16)}, ` +
    `worst ${all.max} ms / target 50 = ${ratio(all.max / 50)} ` +
    `(median/worst ms: ${part('whole run', driven.full)}, ${part('zooming in', driven.zoomingIn)}, ` +
    `${part('deep', driven.deep)}, ${part('wheel', driven.wheel)})`
  // `--runs N` keeps the run whose figure is the median: here the frames' median, not a wall time.
  return { ...base, wallMs: all.median, text }
}
