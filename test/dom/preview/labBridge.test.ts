// @vitest-environment happy-dom
/**
 * The browser preview's window.lab over a fake fetch, storage and event source: every method of
 * the contract is there (a missing one fails to compile: `satisfies LabApi` in the module and the
 * type assertion here), engine calls carry the token and come back as the host answered them, a
 * host that does not answer is an error as data, the file methods run in the page.
 */
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest'
import { createLabBridge, DRAFT_STORAGE_KEY, type BridgeEnv } from '../../../src/preview/labBridge'
import { bridgeClient } from '../../../src/renderer/src/api/labClient'
import { frameBytes } from '../../../src/shared/packed/frame'
import { packRun } from '../../../src/shared/packed/packedRun'
import { presetRun } from '../presetsFixture'
import {
  EVENT_CHANNELS,
  LAB_METHODS,
  type LabApi,
  type RunProgress,
} from '../../../src/shared/contract'

interface Sent {
  url: string
  init: RequestInit
}

function memoryStorage(): Storage {
  const items = new Map<string, string>()
  return {
    get length() {
      return items.size
    },
    clear: () => items.clear(),
    getItem: (k) => items.get(k) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (k) => void items.delete(k),
    setItem: (k, v) => void items.set(k, String(v)),
  }
}

class FakeEventSource {
  static opened: FakeEventSource[] = []
  closed = false
  listeners = new Map<string, (e: MessageEvent<string>) => void>()
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this)
  }
  addEventListener(type: string, fn: (e: MessageEvent<string>) => void) {
    this.listeners.set(type, fn)
  }
  close() {
    this.closed = true
  }
  emit(type: string, data: unknown) {
    this.listeners.get(type)?.(new MessageEvent(type, { data: JSON.stringify(data) }))
  }
}

function bridge(
  answer: (sent: Sent) => Promise<Response> = async () => Response.json({ ok: true, value: 1 }),
  env: Partial<BridgeEnv> = {},
) {
  const sent: Sent[] = []
  const storage = memoryStorage()
  const lab = createLabBridge({
    token: 'tok"en',
    fetch: async (input, init) => {
      const s = { url: String(input), init: init ?? {} }
      sent.push(s)
      return answer(s)
    },
    storage: () => storage,
    openEvents: (url) => new FakeEventSource(url) as unknown as EventSource,
    document,
    ...env,
  })
  return { lab, sent, storage }
}

afterEach(() => {
  vi.restoreAllMocks()
  FakeEventSource.opened = []
})

describe('the preview bridge', () => {
  it('is a LabApi: every method of the contract and both subscriptions, nothing else', () => {
    const { lab } = bridge()
    expectTypeOf(lab).toEqualTypeOf<LabApi>()
    expect(Object.keys(lab).sort()).toEqual(
      [...LAB_METHODS, 'onRunProgress', 'onMenuCommand'].sort(),
    )
    for (const key of Object.keys(lab))
      expect(typeof lab[key as keyof LabApi], key).toBe('function')
  })

  it('posts an engine method to /api/<method> with the token and the request as JSON', async () => {
    const value = { name: 'vCPU Lab', version: '1', engineVersions: {}, carrier: 'web' }
    const { lab, sent } = bridge(async () => Response.json({ ok: true, value }))
    expect(await lab.appInfo({})).toEqual({ ok: true, value })
    await lab.readPreset({ id: 'book3s-power8-aligned-vcores' })
    expect(sent.map((s) => s.url)).toEqual(['/api/appInfo', '/api/readPreset'])
    expect(sent[1]!.init).toEqual({
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-lab-token': 'tok"en' },
      body: '{"id":"book3s-power8-aligned-vcores"}',
    })
  })

  it('passes the host’s refusal through as it came', async () => {
    const refusal = {
      ok: false,
      error: { code: 'forbidden', message: 'missing or wrong x-lab-token' },
    }
    const { lab } = bridge(async () => Response.json(refusal, { status: 403 }))
    expect(await lab.listPresets({})).toEqual(refusal)
  })

  it('hands on a run answered as bytes, which the lab client unpacks into the run', async () => {
    const result = presetRun('book3s-power8-doorbell-first-come')
    const frame = frameBytes(packRun(result), (text) => new TextEncoder().encode(text))
    const octets = { 'content-type': 'application/octet-stream' }
    const { lab } = bridge(
      async () => new Response(frame as Uint8Array<ArrayBuffer>, { headers: octets }),
    )
    const out = await lab.run({ scenario: {} })
    expect(out.ok && out.value instanceof Uint8Array && out.value.length).toBe(frame.length)
    const unpacked = await bridgeClient(lab).run({ scenario: {} })
    if (!unpacked.ok) throw new Error(unpacked.error.message)
    expect(JSON.stringify(unpacked.value)).toBe(JSON.stringify(result))
    // Bytes cut short are an error as data, naming what went wrong.
    const cut = bridge(async () => new Response(frame.slice(0, 200), { headers: octets }))
    expect(await bridgeClient(cut.lab).run({ scenario: {} })).toMatchObject({
      ok: false,
      error: { code: 'internal', message: expect.stringMatching(/did not arrive whole/) },
    })
  })

  it('answers with an error, not a throw, when the host is gone or says nothing', async () => {
    const gone = bridge(async () => {
      throw new TypeError('Failed to fetch')
    })
    expect(await gone.lab.run({ scenario: {} })).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message:
          'the lab host did not answer (TypeError: Failed to fetch); is npm run preview:web still running?',
      },
    })
    const mute = bridge(async () => new Response('<html>', { status: 502 }))
    expect(await mute.lab.validate({ scenario: {} })).toEqual({
      ok: false,
      error: { code: 'internal', message: 'the lab host answered HTTP 502 without a result' },
    })
  })

  it('keeps the draft in localStorage and gives it back, and clears it', async () => {
    const { lab, storage, sent } = bridge()
    expect(await lab.loadDraft({})).toEqual({ ok: true, value: null })
    const saved = await lab.saveDraft({ text: '{"a":', name: 'x.json', fileId: null })
    expect(saved.ok).toBe(true)
    const savedAt = saved.ok ? saved.value.savedAt : ''
    expect(JSON.parse(storage.getItem(DRAFT_STORAGE_KEY)!)).toEqual({
      version: 1,
      savedAt,
      text: '{"a":',
      name: 'x.json',
    })
    expect(await lab.loadDraft({})).toEqual({
      ok: true,
      value: { text: '{"a":', name: 'x.json', fileId: null, savedAt },
    })
    expect(await lab.clearDraft({})).toEqual({ ok: true, value: { cleared: true } })
    expect(await lab.clearDraft({})).toEqual({ ok: true, value: { cleared: false } })
    storage.setItem(DRAFT_STORAGE_KEY, '{not json')
    expect(await lab.loadDraft({})).toEqual({ ok: true, value: null })
    expect(sent).toEqual([])
  })

  it('says so when the browser will not keep the draft, and when a file method throws', async () => {
    const full = memoryStorage()
    full.setItem = () => {
      throw new Error('QuotaExceededError')
    }
    const { lab } = bridge(undefined, { storage: () => full })
    expect(await lab.saveDraft({ text: '{}', name: null, fileId: null })).toEqual({
      ok: false,
      error: {
        code: 'file-error',
        message: 'the browser could not keep the draft (Error: QuotaExceededError)',
      },
    })
    const blocked = bridge(undefined, {
      storage: () => {
        throw new Error('SecurityError')
      },
    })
    expect(await blocked.lab.clearDraft({})).toEqual({
      ok: false,
      error: { code: 'file-error', message: 'clearDraft failed in the page: Error: SecurityError' },
    })
  })

  it('saves and exports as downloads of the right name and type', async () => {
    const blobs: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blobs.push(b as Blob)
      return `blob:fake/${blobs.length}`
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    const clicked: { href: string; download: string }[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push({ href: this.href, download: this.download })
    })
    const { lab } = bridge()
    expect(await lab.saveScenario({ text: '{}', suggestedName: 's.json' })).toEqual({
      ok: true,
      value: { saved: true, name: 's.json', fileId: null },
    })
    // "iVBORw==" is the PNG signature's first four bytes.
    await lab.saveExport({
      format: 'png',
      suggestedName: 'f.png',
      data: 'iVBORw==',
      encoding: 'base64',
    })
    expect(clicked).toEqual([
      { href: 'blob:fake/1', download: 's.json' },
      { href: 'blob:fake/2', download: 'f.png' },
    ])
    expect(blobs.map((b) => b.type)).toEqual(['application/json', 'image/png'])
    expect([...new Uint8Array(await blobs[1]!.arrayBuffer())]).toEqual([0x89, 0x50, 0x4e, 0x47])
    expect(document.querySelectorAll('a').length).toBe(0)
  })

  it('opens with a file chooser, keeps no recent files and makes no PDF', async () => {
    vi.spyOn(HTMLInputElement.prototype, 'click').mockImplementation(function (
      this: HTMLInputElement,
    ) {
      expect(this.accept).toBe('.json,application/json')
      this.dispatchEvent(new Event('cancel'))
    })
    const { lab } = bridge()
    expect(await lab.openScenario({})).toEqual({ ok: true, value: null })
    expect(document.querySelectorAll('input').length).toBe(0)
    expect(await lab.openScenario({ recentId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
    expect(await lab.recentFiles({})).toEqual({ ok: true, value: [] })
    expect(await lab.exportPdf({ html: '<p>', suggestedName: 'r.pdf' })).toMatchObject({
      ok: false,
      error: { code: 'unsupported' },
    })
  })

  it('streams run progress from one event source while anyone listens', () => {
    const { lab } = bridge()
    const a: RunProgress[] = []
    const b: RunProgress[] = []
    const offA = lab.onRunProgress((p) => a.push(p))
    const offB = lab.onRunProgress((p) => b.push(p))
    expect(FakeEventSource.opened.map((s) => s.url)).toEqual(['/api/events?token=tok%22en'])
    const source = FakeEventSource.opened[0]!
    const progress = { runId: 'r1', events: 10, tick: 5, until: 50 }
    source.emit(EVENT_CHANNELS.runProgress, progress)
    offA()
    source.emit(EVENT_CHANNELS.runProgress, progress)
    expect([a.length, b.length]).toEqual([1, 2])
    expect(b[0]).toEqual(progress)
    expect(source.closed).toBe(false)
    offB()
    expect(source.closed).toBe(true)
    expect(lab.onMenuCommand(() => undefined)()).toBeUndefined()
  })
})
