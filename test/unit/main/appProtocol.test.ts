/**
 * app://: which file a request names (resolveAppFile, pure) and what the handler answers
 * (serveAppRequest, over a real folder beside a secret that must never be served).
 */
import fc from 'fast-check'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  APP_INDEX_URL,
  handleAppProtocol,
  isAppUrl,
  registerAppScheme,
  resolveAppFile,
  serveAppRequest,
  type AppFiles,
} from '../../../src/main/appProtocol'
import { RENDERER_CSP_HEADER } from '../../../src/shared/rendererServing'

const SECRET = 'the secret beside the renderer folder'
const top = mkdtempSync(join(tmpdir(), 'app-protocol-'))
const root = join(top, 'renderer')
mkdirSync(join(root, 'assets', 'sub'), { recursive: true })
mkdirSync(join(top, 'renderer-evil'))
mkdirSync(join(root, 'etc'))
const files: Record<string, string> = {
  'index.html': '<!doctype html><title>lab</title>',
  'assets/index-1.js': 'console.log(1)',
  'assets/index-1.css': 'body{}',
  'assets/font.woff2': 'wOF2',
  'assets/blob.bin': 'bytes',
  'assets/my file.js': 'console.log(2)',
}
for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text)
writeFileSync(join(top, 'secret.txt'), SECRET)
writeFileSync(join(top, 'renderer-evil', 'secret.txt'), SECRET)

/** The answer's status for a URL, or the path it names when it names one. */
const resolved = (url: string) => {
  const r = resolveAppFile(url, root)
  return r.ok ? r.path : r.status
}
const get = (url: string, method = 'GET') => serveAppRequest(new Request(url, { method }), root)

/** Every way to leave the folder this test knows, raw and percent-encoded. */
const ESCAPES = [
  'app://lab/%2e%2e%2fsecret.txt',
  'app://lab/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  'app://lab/%2E%2E%2Fsecret.txt',
  'app://lab/assets/..%2f..%2fsecret.txt',
  'app://lab/..%5csecret.txt',
  'app://lab/..\\secret.txt',
  'app://lab/assets\\..\\..\\secret.txt',
  'app://lab/%2e%2e%5c%2e%2e%5csecret.txt',
  'app://lab/..%2frenderer-evil%2fsecret.txt',
  `app://lab/${encodeURIComponent(join(top, 'secret.txt'))}`,
  'app://lab/C:%5Cwindows%5Cwin.ini',
  'app://lab/index.html:$DATA',
  'app://lab/assets//index-1.js',
]

describe('resolveAppFile', () => {
  it('names the files under the folder, from the path alone (no query or fragment)', () => {
    expect(resolved(APP_INDEX_URL)).toBe(join(root, 'index.html'))
    expect(resolved('app://lab/assets/index-1.js')).toBe(join(root, 'assets', 'index-1.js'))
    expect(resolved('app://lab/index.html?x=1#top')).toBe(join(root, 'index.html'))
    expect(resolved('app://lab/assets/my%20file.js')).toBe(join(root, 'assets', 'my file.js'))
  })

  it('keeps `..` that the URL itself resolves inside the folder: /etc/passwd is the folder’s etc', () => {
    expect(resolved('app://lab/../../etc/passwd')).toBe(join(root, 'etc', 'passwd'))
    expect(resolved('app://lab/%2e%2e/%2E%2e/etc/passwd')).toBe(join(root, 'etc', 'passwd'))
    expect(resolved('app://lab/assets/../../../secret.txt')).toBe(join(root, 'secret.txt'))
  })

  it('refuses with 403 a name that holds a separator, `..` or `:` once decoded', () => {
    expect(ESCAPES.map(resolved)).toEqual(ESCAPES.map(() => 403))
  })

  it('refuses with 400 a NUL, however it is written, and broken percent-encoding', () => {
    for (const url of [
      'app://lab/index.html%00.png',
      'app://lab/%00',
      'app://lab/%00/index.html',
      'app://lab/%E0%A4%A',
      'app://lab/%',
      'not a url',
    ])
      expect([url, resolved(url)]).toEqual([url, 400])
  })

  it('refuses with 403 any origin but app://lab', () => {
    for (const url of [
      'app://evil/index.html',
      'app://lab.evil/index.html',
      'app://LAB/index.html',
      'app://lab:8080/index.html',
      'app://user@lab/index.html',
      'app://user:pw@lab/index.html',
      'app:///index.html',
      'app:index.html',
      'file:///etc/passwd',
      `file://${join(root, 'index.html')}`,
      'https://lab/index.html',
    ]) {
      expect([url, resolved(url)]).toEqual([url, 403])
      expect([url, isAppUrl(url)]).toEqual([url, false])
    }
    expect(isAppUrl('app://lab/assets/index-1.js')).toBe(true)
  })

  it('refuses with 404 a folder named as one', () => {
    // `%2e` alone is `.` to the URL parser, so app://lab/%2e is the folder itself.
    for (const url of ['app://lab', 'app://lab/', 'app://lab/assets/', 'app://lab/%2e'])
      expect([url, resolved(url)]).toEqual([url, 404])
  })

  it('never names a path outside the folder, whatever the request (property)', () => {
    const alphabet = fc.constantFrom(
      '.',
      '/',
      '\\',
      '%',
      '2',
      'e',
      'E',
      'f',
      '5',
      'c',
      ':',
      '0',
      'a',
    )
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 24 }), (chars) => {
        const r = resolveAppFile(`app://lab/${chars.join('')}`, root)
        return !r.ok || r.path.startsWith(root + sep)
      }),
      { numRuns: 3000 },
    )
  })
})

describe('serveAppRequest', () => {
  it('answers a file with its bytes, its content type and the page’s CSP', async () => {
    const res = await get(APP_INDEX_URL)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(files['index.html'])
    expect(Object.fromEntries(res.headers)).toEqual({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': RENDERER_CSP_HEADER,
      'x-content-type-options': 'nosniff',
    })
  })

  it('gives each file its content type, and opaque bytes for an unknown one', async () => {
    const types: Record<string, string | null> = {}
    for (const name of ['index-1.js', 'index-1.css', 'font.woff2', 'blob.bin', 'my%20file.js'])
      types[name] = (await get(`app://lab/assets/${name}`)).headers.get('content-type')
    expect(types).toEqual({
      'index-1.js': 'text/javascript; charset=utf-8',
      'index-1.css': 'text/css; charset=utf-8',
      'font.woff2': 'font/woff2',
      'blob.bin': 'application/octet-stream',
      'my%20file.js': 'text/javascript; charset=utf-8',
    })
  })

  it('answers 404 for a missing file and for a folder, 405 for a method but GET and HEAD', async () => {
    expect((await get('app://lab/nothing.js')).status).toBe(404)
    expect((await get('app://lab/../../etc/passwd')).status).toBe(404)
    expect((await get('app://lab/assets')).status).toBe(404)
    expect((await get('app://lab/etc')).status).toBe(404)
    expect((await get(APP_INDEX_URL, 'POST')).status).toBe(405)
    expect((await get(APP_INDEX_URL, 'PUT')).status).toBe(405)
  })

  it('answers HEAD with the headers and no body', async () => {
    const res = await get('app://lab/assets/index-1.css', 'HEAD')
    expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([
      200,
      'text/css; charset=utf-8',
      '',
    ])
  })

  it('serves the secret beside the folder to no request, and says why in plain text', async () => {
    for (const url of ESCAPES) {
      const res = await get(url)
      const body = await res.text()
      expect([url, res.status, body.includes(SECRET)]).toEqual([url, 403, false])
      expect(body).toMatch(/^403: the path leaves the renderer folder/)
      expect(res.headers.get('content-security-policy')).toBe(RENDERER_CSP_HEADER)
    }
  })

  it('asks the file system nothing for a refused path, and reads no folder', async () => {
    const asked: string[] = []
    const fake: AppFiles = {
      stat: async (p) => (asked.push(`stat ${p}`), { isFile: () => !p.endsWith('assets') }),
      readFile: async (p) => (asked.push(`read ${p}`), new Uint8Array(new ArrayBuffer(0))),
    }
    await serveAppRequest(new Request('app://lab/%2e%2e%2fsecret.txt'), root, fake)
    await serveAppRequest(new Request('app://evil/index.html'), root, fake)
    expect(asked).toEqual([])
    expect((await serveAppRequest(new Request('app://lab/assets'), root, fake)).status).toBe(404)
    expect(asked).toEqual([`stat ${join(root, 'assets')}`])
  })
})

describe('registering app://', () => {
  it('declares it standard, secure and fetchable, and nothing more', () => {
    const seen: unknown[] = []
    registerAppScheme({ registerSchemesAsPrivileged: (s) => void seen.push(...s) })
    expect(seen).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ])
  })

  it('hands the handler requests for the folder it was given', async () => {
    let handler: ((r: Request) => Response | Promise<Response>) | null = null
    let scheme = ''
    handleAppProtocol({ handle: (s, h) => ((scheme = s), (handler = h)) }, root)
    expect(scheme).toBe('app')
    const res = await handler!(new Request('app://lab/assets/index-1.js'))
    expect(await res.text()).toBe(files['assets/index-1.js'])
  })
})
