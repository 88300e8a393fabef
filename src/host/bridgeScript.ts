/**
 * The browser preview's `window.lab`: the same contract as the preload. The engine methods are
 * carried over fetch to the host, with progress over server-sent events; the file methods are
 * answered in the page, as a browser must: a file chooser to open, a download to save or export,
 * localStorage for the draft, no recent files (the browser hides paths), and no PDF (that needs
 * Electron's printToPDF; the page says so). There is no application menu, so `onMenuCommand`
 * never fires. Served as /lab-bridge.js with the host's token.
 */
import { ENGINE_METHODS, EVENT_CHANNELS, FILE_METHODS } from '../shared/contract'
import { MAX_SCENARIO_BYTES } from '../shared/files/jsonText'

/** Where the browser preview keeps the unsaved scenario. */
export const DRAFT_STORAGE_KEY = 'vcpu-lab:draft'

export function bridgeScript(token: string): string {
  const config = JSON.stringify({
    token,
    methods: ENGINE_METHODS,
    fileMethods: FILE_METHODS,
    progress: EVENT_CHANNELS.runProgress,
    draftKey: DRAFT_STORAGE_KEY,
    maxScenarioBytes: MAX_SCENARIO_BYTES,
  })
  return engineCalls(config) + FILE_HELPERS + FILE_ANSWERS + EVENTS_AND_EXPORT
}

// The script in its order, each part using what the ones before it defined.

/** Opens the script: its config, `ok`/`fail`, and each engine method as a POST to the host. */
const engineCalls = (config: string) => `(() => {
  'use strict';
  const config = ${config};
  const ok = (value) => ({ ok: true, value });
  const fail = (code, message) => ({ ok: false, error: { code, message } });
  const failed = (message) => fail('internal', message);
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

`

/** A file chooser that answers once (picked or cancelled), a download, base64 to bytes. */
const FILE_HELPERS = `  // Files, in the page.
  const TYPES = { png: 'image/png', svg: 'image/svg+xml', trace: 'application/json',
    csv: 'text/csv', html: 'text/html' };
  const chooseFile = () => new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.json,application/json';
    input.hidden = true;
    let done = false;
    const finish = (file) => {
      if (done) return;
      done = true;
      input.remove();
      resolve(file);
    };
    input.addEventListener('change', () => finish(input.files && input.files[0] ? input.files[0] : null));
    input.addEventListener('cancel', () => finish(null));
    document.body.appendChild(input);
    input.click();
  });
  const download = (name, blob) => {
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  };
  const base64Bytes = (text) => {
    const bin = atob(text);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  };
  const downloaded = (name) => ok({ saved: true, name, fileId: null });
`

/**
 * The file methods answered in the page: the chooser to open, downloads to save, localStorage for
 * the draft; none throws (a failure is a `file-error` answer, as from the desktop app).
 */
const FILE_ANSWERS = `  const files = {
    async openScenario(request) {
      if (request && request.recentId) return fail('not-found', 'the browser preview keeps no recent files');
      const file = await chooseFile();
      if (!file) return ok(null);
      if (file.size > config.maxScenarioBytes) {
        return fail('file-error', file.name + ': ' + file.size + ' bytes; a scenario file may have at most ' + config.maxScenarioBytes);
      }
      try {
        return ok({ fileId: null, name: file.name, text: await file.text() });
      } catch (err) {
        return fail('file-error', file.name + ': cannot read the file (' + err + ')');
      }
    },
    async saveScenario(request) {
      download(request.suggestedName, new Blob([request.text], { type: 'application/json' }));
      return downloaded(request.suggestedName);
    },
    async recentFiles() {
      return ok([]);
    },
    async saveDraft(request) {
      const savedAt = new Date().toISOString();
      try {
        localStorage.setItem(config.draftKey, JSON.stringify({ version: 1, savedAt, text: request.text, name: request.name }));
      } catch (err) {
        return fail('file-error', 'the browser could not keep the draft (' + err + ')');
      }
      return ok({ savedAt });
    },
    async loadDraft() {
      let d = null;
      try {
        d = JSON.parse(localStorage.getItem(config.draftKey) || 'null');
      } catch {
        d = null;
      }
      if (!d || d.version !== 1 || typeof d.text !== 'string' || typeof d.savedAt !== 'string') return ok(null);
      return ok({ text: d.text, name: typeof d.name === 'string' ? d.name : null, fileId: null, savedAt: d.savedAt });
    },
    async clearDraft() {
      const had = localStorage.getItem(config.draftKey) !== null;
      localStorage.removeItem(config.draftKey);
      return ok({ cleared: had });
    },
    async saveExport(request) {
      const data = request.encoding === 'base64' ? base64Bytes(request.data) : request.data;
      download(request.suggestedName, new Blob([data], { type: TYPES[request.format] || 'application/octet-stream' }));
      return downloaded(request.suggestedName);
    },
    async exportPdf() {
      return fail('unsupported', 'PDF is made by the desktop app (Electron prints the report). In the browser preview, save the HTML report and print it from the browser.');
    },
  };
  for (const method of config.fileMethods) {
    const fn = files[method];
    api[method] = async (request) => {
      try {
        return await fn(request ?? {});
      } catch (err) {
        return fail('file-error', method + ' failed in the page: ' + err);
      }
    };
  }

`

/** Run progress over one shared EventSource, no menu, and `window.lab` frozen; closes the script. */
const EVENTS_AND_EXPORT = `  const listeners = new Set();
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
  api.onMenuCommand = () => () => undefined;
  Object.defineProperty(window, 'lab', { value: Object.freeze(api), enumerable: true });
})();
`
