/** IPC registration and checks, over an in-memory ipcMain and the real preload builder. */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { registerIpc } from '../../../src/main/ipc'
import { makeUrlPolicy } from '../../../src/main/trustedUrl'
import { buildLabApi } from '../../../src/preload/labApi'
import { createFileService } from '../../../src/services/fileService'
import { createLabHandlers } from '../../../src/services/labService'
import { PRESETS_DIR } from '../../../src/services/paths'
import {
  EVENT_CHANNELS,
  LAB_METHODS,
  channelOf,
  type LabHandlers,
} from '../../../src/shared/contract'
import { readFrame } from '../../../src/shared/packed/frame'
import { unpackRun } from '../../../src/shared/packed/packedRun'
import { FakeDialogs } from '../../support/fakeDialogs'
import { FakeIpc } from '../../support/fakeIpc'

const PAGE = 'app://lab/index.html'
const policy = makeUrlPolicy()
const dialogs = new FakeDialogs()
const userData = mkdtempSync(join(tmpdir(), 'ipc-userdata-'))
const handlers: LabHandlers = {
  ...createLabHandlers({ presetsDir: PRESETS_DIR, appVersion: '9.9.9', carrier: 'electron' }),
  ...createFileService({
    userData,
    startDir: userData,
    dialogs,
    printPdf: async () => new Uint8Array([0x25, 0x50, 0x44, 0x46]),
  }).handlers,
}
const preset = JSON.parse(
  readFileSync(join(PRESETS_DIR, 'book3s-power8-aligned-vcores.json'), 'utf8'),
) as unknown

function setup(h: LabHandlers = handlers) {
  const ipc = new FakeIpc()
  const unregister = registerIpc(ipc, h, { ...policy, log: () => undefined })
  return { ipc, unregister, lab: buildLabApi(ipc.renderer(PAGE)) }
}

describe('registerIpc', () => {
  it('registers exactly one handler per contract method, and removes them all', () => {
    const { ipc, unregister } = setup()
    expect([...ipc.handlers.keys()].sort()).toEqual(LAB_METHODS.map(channelOf).sort())
    unregister()
    expect(ipc.handlers.size).toBe(0)
  })

  it('answers the app page through window.lab: presets, a run, app info', async () => {
    const { lab } = setup()
    const list = await lab.listPresets({})
    expect(list.ok && list.value.some((p) => p.id === 'book3s-power8-aligned-vcores')).toBe(true)
    const run = await lab.run({ scenario: preset })
    // A run answers its packed frame: bytes, no JSON text, unpacked by the page's lab client.
    expect(run.ok && run.value instanceof Uint8Array).toBe(true)
    const result = run.ok && unpackRun(readFrame(run.value, (b) => Buffer.from(b).toString('utf8')))
    expect(result && result.engine).toBe('book3s')
    const info = await lab.appInfo({})
    expect(info).toMatchObject({ ok: true, value: { version: '9.9.9', carrier: 'electron' } })
  })

  it('answers cancelRun: false for a run it does not know, and checks the id', async () => {
    const { lab } = setup()
    expect(await lab.cancelRun({ runId: 'nothing-running' })).toEqual({
      ok: true,
      value: { cancelled: false },
    })
    expect(await lab.cancelRun({ runId: 'a b' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    })
  })

  it('refuses a sender that is not the app page', async () => {
    const { ipc } = setup()
    const evil = buildLabApi(ipc.renderer('https://example.com/'))
    expect(await evil.listPresets({})).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    const sibling = buildLabApi(ipc.renderer('app://lab.evil/index.html'))
    expect(await sibling.appInfo({})).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    // The page as it was loaded before app:// (a file of the renderer folder) is no longer the app.
    const file = buildLabApi(ipc.renderer('file:///opt/vcpu-lab/out/renderer/index.html'))
    expect(await file.appInfo({})).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    const asked = dialogs.asked.length
    expect(await evil.saveScenario({ text: '{}', suggestedName: 'a.json' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
    expect(await evil.openScenario({})).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(dialogs.asked.length).toBe(asked)
  })

  it('carries the file methods: a save asks main’s dialog, which chose the path, not the page', async () => {
    const { lab } = setup()
    const target = join(userData, 'chosen.json')
    dialogs.saves.push(target)
    const out = await lab.saveScenario({ text: '{}\n', suggestedName: 'mine.json' })
    expect(out).toMatchObject({ ok: true, value: { saved: true, name: 'chosen.json' } })
    expect(readFileSync(target, 'utf8')).toBe('{}\n')
    expect(dialogs.asked.at(-1)).toMatchObject({
      kind: 'save',
      opts: { defaultPath: join(userData, 'mine.json') },
    })
  })

  it('refuses a path where a file name belongs, and a handle main never issued', async () => {
    const { lab } = setup()
    for (const suggestedName of [
      '../../etc/passwd.json',
      '/tmp/x.json',
      'a\\b.json',
      '.hidden.json',
    ])
      expect(await lab.saveScenario({ text: '{}', suggestedName })).toMatchObject({
        ok: false,
        error: { code: 'invalid-request', message: expect.stringContaining('suggestedName') },
      })
    expect(
      await lab.saveExport({
        format: 'png',
        suggestedName: 'a.svg',
        data: 'AAAA',
        encoding: 'base64',
      }),
    ).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('must end with .png') },
    })
    expect(await lab.openScenario({ recentId: '/etc/passwd' } as never)).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: expect.stringContaining('recentId') },
    })
    expect(
      await lab.saveScenario({ text: '{}', suggestedName: 'a.json', path: '/tmp/a.json' } as never),
    ).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('path: unknown field') },
    })
  })

  it('checks the payload: unknown fields and bad ids are invalid-request naming the field', async () => {
    const { lab } = setup()
    const bad = await lab.readPreset({ id: '../../etc/passwd' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    expect(!bad.ok && bad.error.message).toMatch(/^readPreset: id: must be a preset id/)
    const extra = await lab.run({ scenario: preset, shell: 'rm -rf /' } as never)
    expect(!extra.ok && extra.error.message).toMatch(/shell: unknown field/)
  })

  it('returns an invalid scenario as data with every problem', async () => {
    const { lab } = setup()
    const out = await lab.run({ scenario: { schemaVersion: 1, name: 'x', engine: 'book3s' } })
    expect(out.ok).toBe(false)
    if (out.ok) return
    expect(out.error.code).toBe('invalid-scenario')
    expect(out.error.problems?.map((p) => p.path)).toEqual(['host', 'kvm', 'guest'])
  })

  it('turns a throwing service into an internal error, not a rejected promise', async () => {
    const broken = { ...handlers, appInfo: async () => Promise.reject(new Error('disk on fire')) }
    const { lab } = setup(broken)
    expect(await lab.appInfo({})).toMatchObject({
      ok: false,
      error: { code: 'internal', message: 'appInfo failed: disk on fire' },
    })
  })

  it('sends progress to the sender, and the preload hands the page only the payload', async () => {
    const progressing: LabHandlers = {
      ...handlers,
      run: async (_req, ctx) => {
        ctx.onProgress?.({
          runId: 'r1',
          events: 10,
          tick: 5,
          until: 100,
          recorded: 7,
          recordLimit: 2_000_000,
        })
        return handlers.run({ scenario: preset }, {})
      },
    }
    const { ipc, lab } = setup(progressing)
    const seen: unknown[] = []
    const off = lab.onRunProgress((p) => seen.push(p))
    await lab.run({ scenario: preset, runId: 'r1' })
    off()
    await lab.run({ scenario: preset, runId: 'r1' })
    expect(seen).toEqual([
      { runId: 'r1', events: 10, tick: 5, until: 100, recorded: 7, recordLimit: 2_000_000 },
    ])
    expect(ipc.sent.filter((s) => s.channel === EVENT_CHANNELS.runProgress)).toHaveLength(2)
  })
})
