/**
 * App-wide hardening, applied before any window exists: no navigation, no new windows, no
 * webviews, no permissions, and no request in the default session that is not the app's own
 * (app://lab, or the dev server in development; file:// is not). The report printer's window has
 * a session of its own with its own filter (pdf.ts).
 */
import { app, session, type WebContents } from 'electron'

export interface LoadPolicy {
  mayLoad(url: string): boolean
}

export function hardenApp(policy: LoadPolicy): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (e) => e.preventDefault())
    contents.on('will-redirect', (e) => e.preventDefault())
    contents.on('will-attach-webview', (e) => e.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
  const ses = session.defaultSession
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !policy.mayLoad(details.url) })
  })
}
