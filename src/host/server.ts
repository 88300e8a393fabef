/**
 * The loopback host: serves the built renderer and the contract over HTTP on 127.0.0.1 only, so the
 * very same renderer runs in a browser for previews and end-to-end tests.
 *
 * Guards: it binds 127.0.0.1; every request's Host must name that address and port (no DNS
 * rebinding); API calls need the random token in `x-lab-token` (a custom header, so a cross-origin
 * page cannot send it without a preflight, which is refused); the token is only in index.html, for
 * the bridge (src/preview, built to /lab-bridge.js) to read, and `Cross-Origin-Resource-Policy:
 * same-origin` and `frame-ancestors 'none'` keep other origins from loading it; payloads are
 * checked against the contract's schemas and capped in size; static files never leave the folder.
 */
import { randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { join, normalize, sep } from 'node:path'
import {
  EVENT_CHANNELS,
  PREVIEW_BRIDGE,
  fail,
  type EngineHandlers,
  type Outcome,
  type RunProgress,
} from '../shared/contract'
import { checkRequest, isEngineMethod, isLabMethod } from '../shared/contractSchemas'
import { jsonChunks } from '../shared/jsonChunks'
import { FRAME_CONTENT_TYPE, framePieces } from '../shared/packed/frame'
import type { PackedRun } from '../shared/packed/packedRun'
import { RENDERER_CSP_HEADER, contentTypeOf } from '../shared/rendererServing'

export const MAX_BODY_BYTES = 64 * 1024 * 1024
/** Runs the host takes at once (running or waiting for a worker); more get 429 until one ends. */
export const MAX_QUEUED_RUNS = 8

export interface HostOptions {
  port: number
  rendererDir: string
  /** The engine methods; the file methods run in the page (the bridge), not here. */
  handlers: EngineHandlers
  token?: string
}

export interface RunningHost {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

/** What every request sees: the options, the token, the port bound and the open event streams. */
interface Host {
  opts: HostOptions
  token: string
  /** The port asked for until the server listens, then the one it got. */
  port: number
  /** Open /api/events responses, each sent every run's progress. */
  streams: Set<ServerResponse>
  /** `run` calls not answered yet. */
  runs: number
}

export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const h: Host = {
    opts,
    token: opts.token ?? randomBytes(24).toString('hex'),
    port: opts.port,
    streams: new Set(),
    runs: 0,
  }
  const server = createServer((req, res) => {
    void handle(h, req, res).catch((err: unknown) => {
      if (!res.headersSent)
        void json(res, 500, fail('internal', `host error: ${(err as Error).message}`))
      else res.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  h.port = typeof address === 'object' && address ? address.port : opts.port
  return {
    url: `http://127.0.0.1:${h.port}/`,
    port: h.port,
    token: h.token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of h.streams) s.end()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

async function handle(h: Host, req: IncomingMessage, res: ServerResponse): Promise<void> {
  secure(res)
  const host = req.headers.host ?? ''
  if (host !== `127.0.0.1:${h.port}` && host !== `localhost:${h.port}`) {
    return json(res, 403, fail('forbidden', `unexpected Host header "${host}"`))
  }
  const url = new URL(req.url ?? '/', `http://127.0.0.1:${h.port}`)
  if (url.pathname.startsWith('/api/')) {
    if (url.pathname === '/api/events' && req.method === 'GET') return eventStream(h, req, res, url)
    return apiCall(h, req, res, url.pathname.slice('/api/'.length))
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return json(res, 405, fail('invalid-request', `${req.method} is not served here`))
  }
  return staticFile(h.opts.rendererDir, h.token, res, url.pathname)
}

/** GET /api/events?token=…: server-sent events, one `runProgress` frame per progress report. */
function eventStream(h: Host, req: IncomingMessage, res: ServerResponse, url: URL): void {
  if (url.searchParams.get('token') !== h.token) {
    void json(res, 403, fail('forbidden', 'missing or wrong token'))
    return
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' })
  res.write(': connected\n\n')
  h.streams.add(res)
  req.on('close', () => h.streams.delete(res))
}

/** POST /api/<method>: an engine method's request, checked against its schema, and its answer. */
async function apiCall(
  h: Host,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
): Promise<void> {
  if (req.method !== 'POST') return json(res, 405, fail('invalid-request', 'API calls are POST'))
  if (req.headers['x-lab-token'] !== h.token) {
    return json(res, 403, fail('forbidden', 'missing or wrong x-lab-token'))
  }
  const origin = req.headers.origin
  if (origin !== undefined && !ownOrigins(h).includes(origin)) {
    return json(
      res,
      403,
      fail('forbidden', `requests from ${JSON.stringify(origin.slice(0, 80))} are not served`),
    )
  }
  if (!isJsonType(req.headers['content-type'])) {
    return json(res, 415, fail('invalid-request', 'the body must be application/json'))
  }
  if (!isEngineMethod(method)) {
    const why = isLabMethod(method)
      ? `"${method}" runs in the page (the browser preview reads and saves files itself)`
      : `no method "${method}"`
    return json(res, 404, fail('not-found', why))
  }
  const body = await readBody(req)
  if (body === null) {
    return json(
      res,
      413,
      fail('invalid-request', `the body is larger than ${MAX_BODY_BYTES} bytes`),
    )
  }
  let payload: unknown
  try {
    payload = body.length === 0 ? {} : JSON.parse(body)
  } catch (err) {
    return json(
      res,
      400,
      fail('invalid-request', `the body is not JSON: ${(err as Error).message}`),
    )
  }
  const request = checkRequest(method, payload)
  if (!request.ok) return json(res, 400, request)
  const handler = h.opts.handlers[method] as (
    r: unknown,
    ctx: { onProgress?: (p: RunProgress) => void },
  ) => Promise<Outcome<unknown>>
  const onProgress = (p: RunProgress) => broadcast(h, p)
  if (method !== 'run') return json(res, 200, await handler(request.value, { onProgress }))
  if (h.runs >= MAX_QUEUED_RUNS) {
    return json(
      res,
      429,
      fail(
        'invalid-request',
        `${MAX_QUEUED_RUNS} runs are already under way; wait for one to end or cancel one`,
      ),
    )
  }
  h.runs++
  try {
    const out = await handler(request.value, { onProgress })
    return out.ok ? packedBody(res, out.value as PackedRun) : json(res, 200, out)
  } finally {
    h.runs--
  }
}

/** The page's own origins: the host by address and by name. */
function ownOrigins(h: Host): string[] {
  return [`http://127.0.0.1:${h.port}`, `http://localhost:${h.port}`]
}

/** `application/json`, with parameters (charset) or not: not `application/jsonx`. */
function isJsonType(type: string | undefined): boolean {
  return (type ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json'
}

/** A run's progress to every open event stream. */
function broadcast(h: Host, p: RunProgress): void {
  const frame = `event: ${EVENT_CHANNELS.runProgress}\ndata: ${JSON.stringify(p)}\n\n`
  for (const s of h.streams) s.write(frame)
}

/** A file of the built renderer (never outside its folder); index.html loads the bridge first. */
async function staticFile(
  dir: string,
  token: string,
  res: ServerResponse,
  pathname: string,
): Promise<void> {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return json(res, 400, fail('invalid-request', 'the path is not valid percent-encoding'))
  }
  const rel = pathname === '/' ? 'index.html' : decoded.replace(/^\/+/, '')
  const file = normalize(join(dir, rel))
  if (!file.startsWith(dir + sep)) {
    return json(res, 403, fail('forbidden', 'outside the renderer folder'))
  }
  let data: Buffer
  try {
    data = await fs.readFile(file)
  } catch {
    return send(res, 404, 'text/plain; charset=utf-8', 'not found')
  }
  const type = contentTypeOf(file)
  if (rel === 'index.html') {
    // The bridge must define window.lab before the app's module runs: module scripts run in
    // document order, so it goes first.
    const html = data
      .toString('utf8')
      .replace(
        '<script type="module"',
        `<meta name="${PREVIEW_BRIDGE.tokenMeta}" content="${attribute(token)}" />\n    ` +
          `<script type="module" src="/${PREVIEW_BRIDGE.script}"></script>\n    <script type="module"`,
      )
    res.setHeader('cache-control', 'no-store')
    return send(res, 200, type, html)
  }
  return send(res, 200, type, data)
}

function secure(res: ServerResponse): void {
  res.setHeader('content-security-policy', RENDERER_CSP_HEADER)
  res.setHeader('x-content-type-options', 'nosniff')
  res.setHeader('referrer-policy', 'no-referrer')
  res.setHeader('cross-origin-opener-policy', 'same-origin')
  res.setHeader('cross-origin-resource-policy', 'same-origin')
  res.setHeader('x-frame-options', 'DENY')
}

/** Text for a double-quoted HTML attribute. */
function attribute(text: string): string {
  return text.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type })
  res.end(body)
}

/**
 * An answer as JSON, written in chunks (src/shared/jsonChunks.ts) as the socket takes them: a large
 * answer is more than one string may hold, and buffering it all would double it in memory.
 */
async function json(res: ServerResponse, status: number, body: unknown): Promise<void> {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  return writeAll(res, jsonChunks(body))
}

/**
 * A run's result: its packed frame (src/shared/packed/frame.ts) as an application/octet-stream
 * body, the columns written from the buffers the worker moved here, never as one JSON text.
 */
async function packedBody(res: ServerResponse, packed: PackedRun): Promise<void> {
  const pieces = framePieces(packed, (text) => Buffer.from(text, 'utf8'))
  const length = pieces.reduce((n, p) => n + p.byteLength, 0)
  res.writeHead(200, { 'content-type': FRAME_CONTENT_TYPE, 'content-length': String(length) })
  return writeAll(res, pieces)
}

/** Writes each chunk as the socket takes it (waiting for 'drain'), then ends the response. */
async function writeAll(res: ServerResponse, chunks: Iterable<string | Uint8Array>): Promise<void> {
  for (const chunk of chunks) {
    if (res.destroyed) return
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done)
          res.off('close', done)
          resolve()
        }
        res.on('drain', done)
        res.on('close', done)
      })
    }
  }
  res.end()
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY_BYTES) over = true
      else chunks.push(c)
    })
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}
