/**
 * The app:// scheme the built renderer is served from, instead of file:// (Electron's Security
 * checklist: "Avoid usage of the file:// protocol and prefer usage of custom protocols"). The page
 * is app://lab/index.html. A request names a file under the renderer folder (out/renderer) and is
 * answered with that file, its content type and the page's Content-Security-Policy as a header, or
 * refused: 400 for a URL that cannot name a file (bad percent-encoding, a NUL), 403 for another
 * origin or a name that would leave the folder (`..`, `/`, `\` or `:` inside a segment, however
 * encoded), 404 for a folder or a file that is not there, 405 for a method other than GET or HEAD.
 *
 * The containment is decided on the path alone (resolveAppFile), before the file system is asked:
 * the folder is electron-vite's output inside app.asar, which holds no links.
 */
import type { CustomScheme, Protocol } from 'electron'
import { promises as fs } from 'node:fs'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { RENDERER_CSP_HEADER, contentTypeOf } from '../shared/rendererServing'

export const APP_SCHEME = 'app'
export const APP_HOST = 'lab'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
/** What the main window loads (outside `npm run dev`, which loads the dev server). */
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`

/**
 * standard: relative URLs resolve and the page has an origin of its own; secure: a secure context,
 * as https is; supportFetchAPI: the page's fetch() may read its own files. Not corsEnabled (no
 * other origin may read them), not bypassCSP, no service workers.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
}

export type AppFile =
  { ok: true; path: string } | { ok: false; status: 400 | 403 | 404; reason: string }

/** True for a URL of the app's own origin, app://lab, with no user, password or port. */
export function isAppUrl(url: string): boolean {
  try {
    return isAppOrigin(new URL(url))
  } catch {
    return false
  }
}

function isAppOrigin(u: URL): boolean {
  return (
    u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === ''
  )
}

/** The file under `root` an app:// URL names, or why none is served. Reads nothing. */
export function resolveAppFile(url: string, root: string): AppFile {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' }
  }
  if (!isAppOrigin(u)) return { ok: false, status: 403, reason: `not ${APP_ORIGIN}` }
  const segments = u.pathname.split('/').slice(1)
  if (segments.length === 0 || segments.at(-1) === '') {
    return { ok: false, status: 404, reason: 'a folder is not served' }
  }
  const names: string[] = []
  for (const segment of segments) {
    let name: string
    try {
      name = decodeURIComponent(segment)
    } catch {
      return { ok: false, status: 400, reason: 'the path is not valid percent-encoding' }
    }
    if (name.includes('\0')) return { ok: false, status: 400, reason: 'the path holds a NUL' }
    if (name === '' || name === '.' || name === '..' || /[/\\:]/.test(name)) {
      return { ok: false, status: 403, reason: 'the path leaves the renderer folder' }
    }
    names.push(name)
  }
  const base = resolve(root)
  const path = resolve(base, ...names)
  const rel = relative(base, path)
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    return { ok: false, status: 403, reason: 'the path leaves the renderer folder' }
  }
  return { ok: true, path }
}

/** The part of node:fs/promises the handler reads with (a test may hand in another). */
export interface AppFiles {
  stat(path: string): Promise<{ isFile(): boolean }>
  readFile(path: string): Promise<Uint8Array<ArrayBuffer>>
}

/** The answer to one app:// request: a file of `root`, or a refusal with its reason as text. */
export async function serveAppRequest(
  request: Request,
  root: string,
  files: AppFiles = fs,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return refusal(405, `${request.method} is not served`)
  }
  const target = resolveAppFile(request.url, root)
  if (!target.ok) return refusal(target.status, target.reason)
  let body: Uint8Array<ArrayBuffer>
  try {
    if (!(await files.stat(target.path)).isFile()) return refusal(404, 'a folder is not served')
    body = await files.readFile(target.path)
  } catch {
    return refusal(404, 'not found')
  }
  return new Response(request.method === 'HEAD' ? null : body, {
    status: 200,
    headers: headers(contentTypeOf(target.path)),
  })
}

function refusal(status: number, reason: string): Response {
  return new Response(`${status}: ${reason}\n`, {
    status,
    headers: headers('text/plain; charset=utf-8'),
  })
}

function headers(contentType: string): Record<string, string> {
  return {
    'content-type': contentType,
    'content-security-policy': RENDERER_CSP_HEADER,
    'x-content-type-options': 'nosniff',
  }
}

/** Declares app:// privileged. Electron takes this only before `ready`, and only once. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])
}

/** Serves app:// from `root` in the default session (the main window's); after `ready`. */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, root))
}
