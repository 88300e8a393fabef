/**
 * Which URLs are the app's own page: app://lab (the built renderer, served by appProtocol.ts), or
 * the dev server's origin when electron-vite serves it. file:// is trusted nowhere: the main window
 * never loads it. Anything else is refused by IPC and never loaded.
 */
import { isAppUrl } from './appProtocol'

export function makeUrlPolicy(devServerUrl?: string) {
  const devOrigin = devServerUrl ? new URL(devServerUrl).origin : null
  return {
    /** The page may send IPC. */
    isTrustedUrl(url: string): boolean {
      if (devOrigin && safeOrigin(url) === devOrigin) return true
      return isAppUrl(url)
    },
    /** The page may load this resource (its own files, devtools, inline data). */
    mayLoad(url: string): boolean {
      if (url.startsWith('devtools:') || url.startsWith('data:') || url.startsWith('blob:'))
        return true
      if (devOrigin) {
        const origin = safeOrigin(url.replace(/^ws:/, 'http:'))
        if (origin === devOrigin) return true
      }
      return isAppUrl(url)
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
