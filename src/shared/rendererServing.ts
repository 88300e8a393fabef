/**
 * What the built renderer is served with, wherever it is served: by the Electron main process on
 * app:// (src/main/appProtocol.ts) and by the browser-preview host on 127.0.0.1 (src/host): its
 * Content-Security-Policy and the content type of each of its files.
 */

/**
 * The policy the page's own meta tag states (src/renderer/index.html; a unit test holds the two
 * equal): the app's own scripts, styles, fonts, workers and connections, images also from data:
 * and blob: URLs (the exported charts), and nothing else.
 */
export const RENDERER_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'"

/** The same policy as a response header, with `frame-ancestors 'none'`, which a meta tag cannot carry. */
export const RENDERER_CSP_HEADER = `${RENDERER_CSP}; frame-ancestors 'none'`

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  wasm: 'application/wasm',
}

/** A file's content type by the ending of its name (any case); anything else is opaque bytes. */
export function contentTypeOf(fileName: string): string {
  const ending = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase()
  return (ending !== undefined && CONTENT_TYPES[ending]) || 'application/octet-stream'
}
