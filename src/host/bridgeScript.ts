/**
 * The browser preview's `window.lab`: the same contract as the preload, carried over fetch to the
 * host, with progress over server-sent events. Served as /lab-bridge.js with the host's token.
 */
import { EVENT_CHANNELS, LAB_METHODS } from '../shared/contract'

export function bridgeScript(token: string): string {
  const config = JSON.stringify({
    token,
    methods: LAB_METHODS,
    progress: EVENT_CHANNELS.runProgress,
  })
  return `(() => {
  'use strict';
  const config = ${config};
  const failed = (message) => ({ ok: false, error: { code: 'internal', message } });
  const call = async (method, request) => {
    let res;
    try {
      res = await fetch('/api/' + method, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-lab-token': config.token },
        body: JSON.stringify(request ?? {}),
      });
    } catch (err) {
      return failed('the lab host did not answer (' + err + '); is npm run preview:web still running?');
    }
    try {
      return await res.json();
    } catch {
      return failed('the lab host answered HTTP ' + res.status + ' without a result');
    }
  };
  const api = {};
  for (const method of config.methods) api[method] = (request) => call(method, request);
  const listeners = new Set();
  let source = null;
  api.onRunProgress = (listener) => {
    listeners.add(listener);
    if (!source) {
      source = new EventSource('/api/events?token=' + encodeURIComponent(config.token));
      source.addEventListener(config.progress, (e) => {
        const progress = JSON.parse(e.data);
        for (const l of listeners) l(progress);
      });
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && source) {
        source.close();
        source = null;
      }
    };
  };
  Object.defineProperty(window, 'lab', { value: Object.freeze(api), enumerable: true });
})();
`
}
