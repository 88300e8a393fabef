/**
 * Which URLs are the app's own page: the built renderer's index.html under the renderer folder, or
 * the dev server's origin when electron-vite serves it. Anything else is refused by IPC and never
 * loaded.
 */
import { pathToFileURL } from 'node:url'

export function makeUrlPolicy(rendererDir: string, devServerUrl?: string) {
  const fileRoot = pathToFileURL(rendererDir.endsWith('/') ? rendererDir : `${rendererDir}/`).href
  const devOrigin = devServerUrl ? new URL(devServerUrl).origin : null
  return {
    /** The page may send IPC. */
    isTrustedUrl(url: string): boolean {
      if (devOrigin && safeOrigin(url) === devOrigin) return true
      return url.startsWith(fileRoot)
    },
    /** The page may load this resource (its own files, devtools, inline data). */
    mayLoad(url: string): boolean {
      if (url.startsWith('devtools:') || url.startsWith('data:') || url.startsWith('blob:'))
        return true
      if (devOrigin) {
        const origin = safeOrigin(url.replace(/^ws:/, 'http:'))
        if (origin === devOrigin) return true
      }
      return url.startsWith(fileRoot)
    },
  }
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin
  } catch {
    return null
  }
}
