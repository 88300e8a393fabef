/**
 * The browser preview's entry, loaded by the host before the app's module: defines `window.lab`
 * (labBridge.ts) with the token the host put in the page's meta tag.
 */
import { PREVIEW_BRIDGE } from '../shared/contract'
import { createLabBridge } from './labBridge'

const token =
  document.querySelector<HTMLMetaElement>(`meta[name="${PREVIEW_BRIDGE.tokenMeta}"]`)?.content ?? ''

const lab = createLabBridge({
  token,
  fetch: (input, init) => window.fetch(input, init),
  storage: () => window.localStorage,
  openEvents: (url) => new EventSource(url),
  document,
})

Object.defineProperty(window, 'lab', { value: Object.freeze(lab), enumerable: true })
