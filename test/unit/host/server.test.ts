/** The loopback host: guards, static files, the bridge and its token, the contract over HTTP. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHost, type RunningHost } from '../../../src/host/server'
import { createLabHandlers } from '../../../src/services/labService'
import { PRESETS_DIR } from '../../../src/services/paths'
import { sourceWorkerSpawner, workerRunner } from '../../../src/services/runRunner'
import { FILE_METHODS } from '../../../src/shared/contract'
import { readFrame } from '../../../src/shared/packed/frame'
import { unpackRun } from '../../../src/shared/packed/packedRun'
import { RENDERER_CSP_HEADER } from '../../../src/shared/rendererServing'

let host: RunningHost
const dir = mkdtempSync(join(tmpdir(), 'lab-renderer-'))

beforeAll(async () => {
  mkdirSync(join(dir, 'assets'))
  writeFileSync(
    join(dir, 'index.html'),
    '<html><head><script type="module" src="./assets/app.js"></script></head><body></body></html>',
  )
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(dir, 'lab-bridge.js'), 'console.log(2)')
  host = await startHost({
    port: 0,
    rendererDir: dir,
    handlers: createLabHandlers({ presetsDir: PRESETS_DIR, appVersion: '1.2.3', carrier: 'web' }),
    token: 'tok',
  })
})
afterAll(() => host.close())

function raw(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<{
    status: number
    headers: Record<string, unknown>
    body: string
    bytes: Buffer
  }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: host.port,
        path,
        method: opts.method ?? 'GET',
        headers: opts.headers,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const bytes = Buffer.concat(chunks)
          const body = bytes.toString('utf8')
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, bytes })
        })
      },
    )
    req.on('error', reject)
    req.end(opts.body)
  })
}
const api = (method: string, payload: unknown, token = 'tok') =>
  raw(`/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-lab-token': token },
    body: JSON.stringify(payload),
  })

describe('the lab host', () => {
  it('listens on 127.0.0.1 and reports its URL', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/`)
  })

  it('serves index.html with the bridge module placed before the app module, and strict headers', async () => {
    const res = await raw('/')
    expect(res.status).toBe(200)
    expect(res.body).toContain('<script type="module" src="/lab-bridge.js"></script>')
    expect(res.body.indexOf('/lab-bridge.js')).toBeLessThan(res.body.indexOf('./assets/app.js'))
    expect(res.headers['content-security-policy']).toContain("default-src 'none'")
    expect(res.headers['content-security-policy']).toContain("script-src 'self';")
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
  })

  it('hands the bridge its token in the page, and serves the bridge as a built file', async () => {
    const page = (await raw('/')).body
    expect(page).toContain('<meta name="vcpu-lab-token" content="tok" />')
    const bridge = await raw('/lab-bridge.js')
    expect(bridge.status).toBe(200)
    expect(bridge.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(bridge.body).toBe('console.log(2)')
  })

  it('leaves the file methods to the page: the host reads and writes no file for it', async () => {
    for (const m of FILE_METHODS) {
      const res = await api(m, {})
      expect(res.status).toBe(404)
      expect(JSON.parse(res.body).error.message).toBe(
        `"${m}" runs in the page (the browser preview reads and saves files itself)`,
      )
    }
  })

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await raw('/', { headers: { host: `evil.example:${host.port}` } })
    expect(res.status).toBe(403)
  })

  it('never serves a file outside the renderer folder', async () => {
    expect((await raw('/..%2f..%2fetc%2fpasswd')).status).toBe(403)
    expect((await raw('/assets/missing.js')).status).toBe(404)
    expect((await raw('/assets/app.js')).body).toBe('console.log(1)')
  })

  it('needs the token for API calls', async () => {
    const res = await api('appInfo', {}, 'wrong')
    expect(res.status).toBe(403)
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })

  it('answers the contract: app info, presets, a run', async () => {
    expect(JSON.parse((await api('appInfo', {})).body)).toMatchObject({
      ok: true,
      value: { version: '1.2.3', carrier: 'web' },
    })
    const presets = JSON.parse((await api('listPresets', {})).body)
    expect(presets.ok).toBe(true)
    const scenario = JSON.parse(
      readFileSync(join(PRESETS_DIR, 'book3s-power8-aligned-vcores.json'), 'utf8'),
    )
    // A run answers its packed frame as bytes, with the same guarding headers as every answer.
    const res = await api('run', { scenario })
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/octet-stream')
    expect(res.headers['content-length']).toBe(String(res.bytes.length))
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['content-security-policy']).toBe(RENDERER_CSP_HEADER)
    const run = unpackRun(readFrame(res.bytes, (b) => Buffer.from(b).toString('utf8')))
    if (run.engine !== 'book3s') throw new Error('not a book3s run')
    expect(run.details.vcpus.find((v) => v.id === 13)?.ptid).toBe(5)
    // A run that fails answers JSON, as every other answer does.
    const bad = await api('run', { scenario: { schemaVersion: 1 } })
    expect(bad.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid-scenario' } })
  })

  it('checks payloads and methods', async () => {
    expect((await api('nope', {})).status).toBe(404)
    const bad = await api('readPreset', { id: 7 })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body).error.message).toBe('readPreset: id: must be a string (got 7)')
    const notJson = await raw('/api/appInfo', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-lab-token': 'tok' },
      body: '{',
    })
    expect(notJson.status).toBe(400)
  })
})

describe('the lab host with engines in a worker', () => {
  let slow: RunningHost
  const runner = workerRunner({
    spawn: sourceWorkerSpawner(new URL('../../support/scriptedRunWorker.ts', import.meta.url).href),
  })
  beforeAll(async () => {
    slow = await startHost({
      port: 0,
      rendererDir: dir,
      handlers: createLabHandlers({
        presetsDir: PRESETS_DIR,
        appVersion: '1',
        carrier: 'web',
        runner,
      }),
      token: 'tok',
    })
  })
  afterAll(() => Promise.all([slow.close(), runner.close()]))

  const call = (method: string, payload: unknown) =>
    fetch(`${slow.url}api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-lab-token': 'tok' },
      body: JSON.stringify(payload),
    }).then((r) => r.json() as Promise<unknown>)

  it('keeps answering during a long run, and cancelRun stops it', async () => {
    const running = call('run', { scenario: { loops: 1e12 }, runId: 'long-1' })
    // The host still answers other calls while the engine works.
    await expect
      .poll(() => call('cancelRun', { runId: 'long-1' }), { interval: 50 })
      .toEqual({
        ok: true,
        value: { cancelled: true },
      })
    expect(await running).toMatchObject({ ok: false, error: { code: 'cancelled' } })
    expect(await call('cancelRun', { runId: 'long-1' })).toEqual({
      ok: true,
      value: { cancelled: false },
    })
  })

  it('checks the run id of cancelRun', async () => {
    expect(await call('cancelRun', { runId: '../x' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    })
  })
})

describe('the host refuses what a page of its own would not send (issue 19, item 8)', () => {
  it('answers a path that is not valid percent-encoding with 400, not 500', async () => {
    const res = await raw('/%')
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'invalid-request' } })
  })

  it('refuses a request from another origin even with the token, and a content type that only starts with application/json', async () => {
    const other = await raw('/api/appInfo', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-lab-token': 'tok',
        origin: 'http://evil.example',
      },
      body: '{}',
    })
    expect(other.status).toBe(403)
    const own = await raw('/api/appInfo', {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'x-lab-token': 'tok',
        origin: `http://127.0.0.1:${host.port}`,
      },
      body: '{}',
    })
    expect(own.status).toBe(200)
    const jsonx = await raw('/api/appInfo', {
      method: 'POST',
      headers: { 'content-type': 'application/jsonx', 'x-lab-token': 'tok' },
      body: '{}',
    })
    expect(jsonx.status).toBe(415)
  })
})

describe('the host caps the runs under way', { timeout: 30_000 }, () => {
  it('answers the ninth concurrent run with 429 and takes runs again once one ends', async () => {
    const scripted = sourceWorkerSpawner(
      new URL('../../support/scriptedRunWorker.ts', import.meta.url).href,
    )
    const runner = workerRunner({ spawn: scripted, size: 1 })
    const busy = await startHost({
      port: 0,
      rendererDir: dir,
      handlers: createLabHandlers({
        presetsDir: PRESETS_DIR,
        appVersion: '1.2.3',
        carrier: 'web',
        runner,
      }),
      token: 'tok',
    })
    const call = (method: string, payload: unknown) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: busy.port,
            path: `/api/${method}`,
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-lab-token': 'tok' },
          },
          (res) => {
            res.resume()
            res.on('end', () => resolve(res.statusCode ?? 0))
          },
        )
        req.on('error', reject)
        req.end(JSON.stringify(payload))
      })
    try {
      const runs = Array.from({ length: 8 }, (_, i) =>
        call('run', { runId: `r${i}`, scenario: { loops: 1e12 } }),
      )
      await new Promise((r) => setTimeout(r, 300))
      expect(await call('run', { runId: 'r8', scenario: { loops: 1 } })).toBe(429)
      for (let i = 0; i < 8; i++) await call('cancelRun', { runId: `r${i}` })
      expect(await Promise.all(runs)).toEqual(Array(8).fill(200))
      expect(await call('run', { runId: 'r9', scenario: { loops: 1 } })).toBe(200)
    } finally {
      await busy.close()
      await runner.close()
    }
  })
})
