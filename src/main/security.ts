/**
 * App-wide hardening, applied before any window exists: no navigation, no new windows, no
 * webviews, no permissions, and no request that is not the app's own file or dev server.
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
