/**
 * `npm run --silent bench:stages -- [--case NAME]`: where the time goes between the engine and
 * the page for one bench case, on the preview host's path (issue 16, item 1). Each stage is timed
 * on its own: the engine alone (in this process), a run through the worker pool (engine in a
 * worker, packed there, its columns moved to this thread), and the host answering POST /api/run
 * over loopback HTTP to Node's fetch, the body read whole, then turned back into a RunResult as
 * the page's lab client does.
 * The page's own stages (the browser's fetch, the timeline's first draw) are measured in Chromium
 * by test/e2e/largeRunPerf.test.ts. Figures only: nothing here passes or fails.
 */
import { runDocument } from '../src/services/runDocument'
import { startHost } from '../src/host/server'
import { createLabHandlers } from '../src/services/labService'
import { PRESETS_DIR, RENDERER_DIR } from '../src/services/paths'
import { sourceWorkerSpawner, workerRunner } from '../src/services/runRunner'
import { FRAME_CONTENT_TYPE, readFrame } from '../src/shared/packed/frame'
import { packRun, unpackRun } from '../src/shared/packed/packedRun'
import { CASES, WARM_UP_SCENARIO } from './cases'

const name = process.argv.includes('--case')
  ? process.argv[process.argv.indexOf('--case') + 1]
  : 'book3s-large'
const c = CASES.find((x) => x.name === name)
if (!c) {
  process.stderr.write(
    `no bench case named ${name}; cases: ${CASES.map((x) => x.name).join(', ')}\n`,
  )
  process.exit(2)
}
const scenario = c.document()
const ms = (t0: number) => Math.round(performance.now() - t0)
const rows: [string, number | string, string?][] = []

let t0 = performance.now()
const direct = runDocument(scenario)
rows.push(['engine, in this process (runDocument)', ms(t0), 'ms'])
if (!direct.ok) throw new Error(direct.error.message)
t0 = performance.now()
packRun(direct.value)
rows.push(['pack, in this process (packRun)', ms(t0), 'ms'])
rows.push([
  'events + spans',
  direct.value.events.length + direct.value.timeline.tracks.reduce((n, t) => n + t.spans.length, 0),
])

const runner = workerRunner({ spawn: sourceWorkerSpawner(), size: 1 })
// A first small run starts the worker (tsx's loader, the engines' modules), so it is not timed.
await runner.run({ scenario: WARM_UP_SCENARIO, runId: 'warm' })
t0 = performance.now()
const viaWorker = await runner.run({ scenario, runId: 'w' })
rows.push(['worker pool run: the run in a worker, its result handed to this thread', ms(t0), 'ms'])
if (!viaWorker.ok) throw new Error(viaWorker.error.message)

const host = await startHost({
  port: 0,
  rendererDir: RENDERER_DIR,
  handlers: createLabHandlers({
    presetsDir: PRESETS_DIR,
    appVersion: 'bench',
    carrier: 'web',
    runner,
  }),
})
t0 = performance.now()
const res = await fetch(`${host.url}api/run`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-lab-token': host.token },
  body: JSON.stringify({ scenario, runId: 'h' }),
})
rows.push(['host: request to response headers (run in the worker + first bytes)', ms(t0), 'ms'])
const t1 = performance.now()
const body = await res.arrayBuffer()
rows.push(['host: response headers to last byte', ms(t1), 'ms'])
rows.push(['host: body bytes', body.byteLength])
rows.push(['host: content type', res.headers.get('content-type') ?? ''])
const t2 = performance.now()
if (res.headers.get('content-type') === FRAME_CONTENT_TYPE) {
  // The page's lab client: the frame read (views over the body), then unpacked.
  const packed = readFrame(new Uint8Array(body), (b) => new TextDecoder().decode(b))
  rows.push(['client: frame read (head parsed, columns as views)', ms(t2), 'ms'])
  const t3 = performance.now()
  unpackRun(packed)
  rows.push(['client: unpacked into a RunResult', ms(t3), 'ms'])
} else {
  const parsed = JSON.parse(new TextDecoder().decode(body)) as { ok: boolean }
  rows.push(['client: bytes to RunResult (UTF-8 decode + JSON.parse)', ms(t2), 'ms'])
  if (!parsed.ok) throw new Error('the host answered an error')
}
rows.push(['total: request to RunResult', ms(t0), 'ms'])
await host.close()
await runner.close()

process.stdout.write(`${c.name}: stages on the preview host's path\n`)
for (const [k, v, unit] of rows)
  process.stdout.write(
    `  ${k}: ${typeof v === 'number' ? v.toLocaleString('en-US') : v}${unit ? ` ${unit}` : ''}\n`,
  )
