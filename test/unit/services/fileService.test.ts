/**
 * The desktop app's file methods against a real temporary folder, with the dialogs scripted: what
 * is saved opens back as the same scenario, a failed or interrupted save leaves the old file
 * whole, recent files and the draft outlive a restart, and exports are written as given.
 */
import { spawn } from 'node:child_process'
import {
  promises as fsp,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFileService, type FileServiceOptions } from '../../../src/services/fileService'
import { PRESETS_DIR, PROJECT_ROOT } from '../../../src/services/paths'
import type { RecentFile } from '../../../src/shared/contract'
import { parseScenario } from '../../../src/shared/scenario'
import { FakeDialogs } from '../../support/fakeDialogs'

const presetText = readFileSync(join(PRESETS_DIR, 'book3s-power8-doorbell-first-come.json'), 'utf8')

function setup(
  extra: Partial<FileServiceOptions> = {},
  dir = mkdtempSync(join(tmpdir(), 'files-')),
) {
  const userData = join(dir, 'userData')
  const docs = join(dir, 'docs')
  mkdirSync(docs, { recursive: true })
  const dialogs = new FakeDialogs()
  const recentSeen: RecentFile[][] = []
  const printed: string[] = []
  const service = createFileService({
    userData,
    startDir: docs,
    dialogs,
    printPdf: async (html) => {
      printed.push(html)
      return new Uint8Array(Buffer.from('%PDF-1.7\n%fake\n'))
    },
    onRecentChanged: (r) => recentSeen.push(r),
    now: () => new Date('2026-11-21T14:02:00Z'),
    ...extra,
  })
  return { dir, userData, docs, dialogs, recentSeen, printed, service, h: service.handlers }
}

afterEach(() => vi.restoreAllMocks())

const ctx = {}

describe('saving and opening a scenario', () => {
  it('opens what it saved as the identical scenario, and Save writes back without asking', async () => {
    const { docs, dialogs, h } = setup()
    const target = join(docs, 'doorbells.json')
    dialogs.saves.push(target)
    const saved = await h.saveScenario({ text: presetText, suggestedName: 'doorbells.json' }, ctx)
    expect(saved).toMatchObject({ ok: true, value: { saved: true, name: 'doorbells.json' } })
    expect(dialogs.asked[0]).toMatchObject({
      kind: 'save',
      opts: { defaultPath: target, filters: [{ extensions: ['json'] }] },
    })
    dialogs.opens.push(target)
    const opened = await h.openScenario({}, ctx)
    if (!opened.ok || !opened.value) throw new Error('not opened')
    expect(opened.value.text).toBe(presetText)
    const a = parseScenario(JSON.parse(presetText))
    const b = parseScenario(JSON.parse(opened.value.text))
    expect(b).toEqual(a)
    expect(b.ok).toBe(true)
    // The page got a handle, not the path.
    expect(opened.value.fileId).toMatch(/^[0-9a-f]{32}$/)
    expect(JSON.stringify(opened.value)).not.toContain(docs)

    const edited = presetText.replace('"seed": 1', '"seed": 2')
    const asked = dialogs.asked.length
    const again = await h.saveScenario(
      { text: edited, fileId: opened.value.fileId, suggestedName: 'x.json' },
      ctx,
    )
    expect(again).toMatchObject({ ok: true, value: { saved: true, fileId: opened.value.fileId } })
    expect(dialogs.asked.length).toBe(asked)
    expect(readFileSync(target, 'utf8')).toBe(edited)
  })

  it('asks every time for Save As, starting at the file’s own path', async () => {
    const { docs, dialogs, h } = setup()
    const first = join(docs, 'a.json')
    dialogs.saves.push(first)
    const out = await h.saveScenario({ text: '{}\n', suggestedName: 'a.json' }, ctx)
    const fileId = out.ok && out.value.saved ? out.value.fileId : null
    dialogs.saves.push(join(docs, 'b.json'))
    const as = await h.saveScenario(
      { text: '{"b":1}\n', fileId, saveAs: true, suggestedName: 'a.json' },
      ctx,
    )
    expect(as).toMatchObject({ ok: true, value: { saved: true, name: 'b.json' } })
    expect(dialogs.asked.at(-1)).toMatchObject({ kind: 'save', opts: { defaultPath: first } })
    expect(readFileSync(first, 'utf8')).toBe('{}\n')
    expect(readFileSync(join(docs, 'b.json'), 'utf8')).toBe('{"b":1}\n')
  })

  it('answers a cancelled dialog with saved: false or null, and writes nothing', async () => {
    const { docs, h } = setup()
    expect(await h.saveScenario({ text: '{}', suggestedName: 'a.json' }, ctx)).toEqual({
      ok: true,
      value: { saved: false },
    })
    expect(await h.openScenario({}, ctx)).toEqual({ ok: true, value: null })
    expect(readdirSync(docs)).toEqual([])
  })

  it('adds .json when the person typed no extension, and asks before replacing that file', async () => {
    const { docs, dialogs, h } = setup()
    dialogs.saves.push(join(docs, 'notes'))
    await h.saveScenario({ text: 'one', suggestedName: 'a.json' }, ctx)
    expect(readFileSync(join(docs, 'notes.json'), 'utf8')).toBe('one')
    dialogs.saves.push(join(docs, 'notes'))
    dialogs.replace = false
    expect(await h.saveScenario({ text: 'two', suggestedName: 'a.json' }, ctx)).toEqual({
      ok: true,
      value: { saved: false },
    })
    expect(dialogs.asked.at(-1)).toEqual({ kind: 'replace', opts: join(docs, 'notes.json') })
    expect(readFileSync(join(docs, 'notes.json'), 'utf8')).toBe('one')
  })

  it('says why a file cannot be opened: a folder, a file too large', async () => {
    const { docs, dialogs, h } = setup()
    dialogs.opens.push(docs)
    expect(await h.openScenario({}, ctx)).toMatchObject({
      ok: false,
      error: { code: 'file-error', message: `${docs}: not a file` },
    })
    const big = join(docs, 'big.json')
    writeFileSync(big, '')
    await fsp.truncate(big, 64 * 1024 * 1024 + 1)
    dialogs.opens.push(big)
    expect(await h.openScenario({}, ctx)).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('a scenario file may have at most 67108864') },
    })
  })
})

describe('a save that fails or is interrupted', () => {
  async function savedOnce() {
    const s = setup()
    const target = join(s.docs, 'keep.json')
    s.dialogs.saves.push(target)
    const out = await s.h.saveScenario({ text: presetText, suggestedName: 'keep.json' }, ctx)
    const fileId = out.ok && out.value.saved ? out.value.fileId : null
    return { ...s, target, fileId }
  }

  it('leaves the old file whole when the final rename fails', async () => {
    const { docs, target, fileId, h } = await savedOnce()
    vi.spyOn(fsp, 'rename').mockRejectedValueOnce(
      Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' }),
    )
    const out = await h.saveScenario(
      { text: '{"half": tru', fileId, suggestedName: 'keep.json' },
      ctx,
    )
    expect(out).toMatchObject({
      ok: false,
      error: {
        code: 'file-error',
        message: `${target}: cannot write the file (EIO); the file there, if any, is unchanged`,
      },
    })
    expect(readFileSync(target, 'utf8')).toBe(presetText)
    expect(readdirSync(docs)).toEqual(['keep.json'])
  })

  it('leaves the old file whole when writing throws between the data and the rename', async () => {
    const { docs, target, fileId, h } = await savedOnce()
    const probe = await fsp.open(join(docs, 'keep.json'), 'r')
    const handleProto = Object.getPrototypeOf(probe) as { sync(): Promise<void> }
    await probe.close()
    vi.spyOn(handleProto, 'sync').mockRejectedValueOnce(
      Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }),
    )
    const out = await h.saveScenario({ text: '{}', fileId, suggestedName: 'keep.json' }, ctx)
    expect(out).toMatchObject({ ok: false, error: { message: expect.stringContaining('ENOSPC') } })
    expect(readFileSync(target, 'utf8')).toBe(presetText)
    expect(readdirSync(docs)).toEqual(['keep.json'])
  })

  it('leaves a whole file, old or new, when the process is killed while saving', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'files-crash-'))
    const target = join(dir, 'scenario.json')
    const old = JSON.stringify({ version: 'old', pad: 'x'.repeat(1 << 20) })
    writeFileSync(target, old)
    const script = join(dir, 'saver.mts')
    writeFileSync(
      script,
      `import { createFileService } from ${JSON.stringify(join(PROJECT_ROOT, 'src/services/fileService.ts'))}
const target = ${JSON.stringify(target)}
const s = createFileService({ userData: ${JSON.stringify(join(dir, 'ud'))}, startDir: ${JSON.stringify(dir)},
  dialogs: { open: async () => null, save: async () => target, confirmReplace: async () => true },
  printPdf: async () => new Uint8Array() })
let n = 0
process.stdout.write('ready\\n')
for (;;) {
  const text = JSON.stringify({ version: 'new-' + n++, pad: String(n % 10).repeat(8 << 20) })
  await s.handlers.saveScenario({ text, suggestedName: 'scenario.json', saveAs: true }, {})
}
`,
    )
    const hasTemp = () => readdirSync(dir).some((f) => f.endsWith('.tmp'))
    /** Starts the saver, waits for `killWhen`, kills it, and checks the file it leaves. */
    const crashOnce = async (killWhen: () => Promise<void>): Promise<boolean> => {
      for (const f of readdirSync(dir)) if (f.endsWith('.tmp')) rmSync(join(dir, f))
      // `node --import tsx`, not the tsx binary: the binary runs the script in a child process,
      // which a SIGKILL to the binary would leave running (writing on after the "crash").
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      await new Promise<void>((resolve, reject) => {
        child.stdout!.once('data', () => resolve())
        child.once('exit', (code) => reject(new Error(`the saver exited early (${code})`)))
      })
      await killWhen()
      child.kill('SIGKILL')
      await new Promise((r) => child.once('exit', r))
      const text = readFileSync(target, 'utf8')
      const doc = JSON.parse(text) as { version: string; pad: string }
      expect(doc.version === 'old' || /^new-\d+$/.test(doc.version)).toBe(true)
      expect(doc.pad.length === 1 << 20 || doc.pad.length === 8 << 20).toBe(true)
      return hasTemp()
    }
    // Kills at fixed delays land wherever the saver happens to be.
    for (const delayMs of [60, 300]) {
      await crashOnce(() => new Promise((r) => setTimeout(r, delayMs)))
    }
    // Kills timed to land while a temporary file exists: the write is under way, so the kill
    // interrupts it (on a loaded machine the rename can still win the race: try again).
    let interrupted = 0
    for (let attempt = 0; attempt < 8 && interrupted < 2; attempt++) {
      const during = async () => {
        for (let i = 0; i < 20_000 && !hasTemp(); i++) await new Promise((r) => setImmediate(r))
      }
      if (await crashOnce(during)) interrupted++
    }
    // At least one kill landed in the middle of a write (its temporary file is left behind).
    expect(interrupted).toBeGreaterThan(0)
  }, 60_000)
})

describe('recent files', () => {
  it('keeps the files opened and saved, newest first, across a restart, and opens one by id', async () => {
    const { dir, docs, dialogs, h, recentSeen } = setup()
    for (const n of ['a', 'b', 'a']) {
      writeFileSync(join(docs, `${n}.json`), `{"n":"${n}"}`)
      dialogs.opens.push(join(docs, `${n}.json`))
      await h.openScenario({}, ctx)
    }
    const list = await h.recentFiles({}, ctx)
    expect(list.ok && list.value.map((f) => [f.name, f.location])).toEqual([
      ['a.json', docs],
      ['b.json', docs],
    ])
    expect(recentSeen.at(-1)?.map((f) => f.name)).toEqual(['a.json', 'b.json'])
    // A new session reads the list back, and opens an entry without a dialog.
    const again = setup({}, dir)
    const listed = await again.h.recentFiles({}, ctx)
    const b = listed.ok ? listed.value.find((f) => f.name === 'b.json') : undefined
    const opened = await again.h.openScenario({ recentId: b!.id }, ctx)
    expect(opened).toMatchObject({ ok: true, value: { name: 'b.json', text: '{"n":"b"}' } })
    expect(again.dialogs.asked).toEqual([])
  })

  it('drops a recent file that is gone, saying so, and refuses an id it does not know', async () => {
    const { docs, dialogs, h } = setup()
    const f = join(docs, 'gone.json')
    writeFileSync(f, '{}')
    dialogs.opens.push(f)
    await h.openScenario({}, ctx)
    const id = (await h.recentFiles({}, ctx)) as { ok: true; value: RecentFile[] }
    await fsp.rm(f)
    expect(await h.openScenario({ recentId: id.value[0]!.id }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'file-error', message: expect.stringContaining('ENOENT') },
    })
    expect(await h.recentFiles({}, ctx)).toEqual({ ok: true, value: [] })
    expect(await h.openScenario({ recentId: 'f'.repeat(32) }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
  })

  it('keeps ten at most, and clears them', async () => {
    const { docs, dialogs, h, service } = setup()
    for (let i = 0; i < 12; i++) {
      dialogs.saves.push(join(docs, `s${i}.json`))
      await h.saveScenario({ text: '{}', suggestedName: 'a.json' }, ctx)
    }
    const list = (await h.recentFiles({}, ctx)) as { ok: true; value: RecentFile[] }
    expect(list.value.map((f) => f.name)).toEqual(
      [11, 10, 9, 8, 7, 6, 5, 4, 3, 2].map((i) => `s${i}.json`),
    )
    await service.clearRecent()
    expect(await h.recentFiles({}, ctx)).toEqual({ ok: true, value: [] })
  })
})

describe('the unsaved draft', () => {
  it('is kept in userData and offered back after a restart, still tied to its file', async () => {
    const { dir, docs, dialogs, userData, h } = setup()
    const target = join(docs, 'mine.json')
    dialogs.opens.push(target)
    writeFileSync(target, presetText)
    const opened = await h.openScenario({}, ctx)
    const fileId = opened.ok && opened.value ? opened.value.fileId : null
    const typed = '{ "schemaVersion": 1, "name": "half typed'
    expect(await h.saveDraft({ text: typed, name: 'mine.json', fileId }, ctx)).toEqual({
      ok: true,
      value: { savedAt: '2026-11-21T14:02:00.000Z' },
    })
    expect(readdirSync(userData).sort()).toEqual(['draft.json', 'recent-files.json'])

    const next = setup({}, dir)
    const draft = await next.h.loadDraft({}, ctx)
    if (!draft.ok || !draft.value) throw new Error('no draft')
    expect(draft.value).toMatchObject({
      text: typed,
      name: 'mine.json',
      savedAt: '2026-11-21T14:02:00.000Z',
    })
    // Its handle saves back to the file it came from, without a dialog.
    await next.h.saveScenario(
      { text: '{"fixed":true}\n', fileId: draft.value.fileId, suggestedName: 'mine.json' },
      ctx,
    )
    expect(next.dialogs.asked).toEqual([])
    expect(readFileSync(target, 'utf8')).toBe('{"fixed":true}\n')
    expect(await next.h.clearDraft({}, ctx)).toEqual({ ok: true, value: { cleared: true } })
    expect(await next.h.loadDraft({}, ctx)).toEqual({ ok: true, value: null })
    expect(await next.h.clearDraft({}, ctx)).toEqual({ ok: true, value: { cleared: false } })
  })

  it('never offers a damaged draft', async () => {
    const { userData, h } = setup()
    mkdirSync(userData, { recursive: true })
    writeFileSync(join(userData, 'draft.json'), '{"version":1,"text":')
    expect(await h.loadDraft({}, ctx)).toEqual({ ok: true, value: null })
  })
})

describe('exports', () => {
  it('writes a PNG from its base64 bytes and text as given, where the person chose', async () => {
    const { docs, dialogs, h } = setup()
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2])
    dialogs.saves.push(join(docs, 'fig.png'))
    const out = await h.saveExport(
      { format: 'png', suggestedName: 'fig.png', data: png.toString('base64'), encoding: 'base64' },
      ctx,
    )
    expect(out).toEqual({ ok: true, value: { saved: true, name: 'fig.png', fileId: null } })
    expect(readFileSync(join(docs, 'fig.png'))).toEqual(png)
    expect(dialogs.asked.at(-1)).toMatchObject({
      opts: { title: 'Save the chart as PNG', filters: [{ extensions: ['png'] }] },
    })
    dialogs.saves.push(join(docs, 'events'))
    await h.saveExport(
      { format: 'csv', suggestedName: 'e.csv', data: 'kind,at\r\n', encoding: 'utf8' },
      ctx,
    )
    expect(readFileSync(join(docs, 'events.csv'), 'utf8')).toBe('kind,at\r\n')
  })

  it('prints the report to PDF only after the person chose where, and says when printing failed', async () => {
    const { docs, dialogs, h, printed } = setup()
    expect(await h.exportPdf({ html: '<p>r</p>', suggestedName: 'r.pdf' }, ctx)).toEqual({
      ok: true,
      value: { saved: false },
    })
    expect(printed).toEqual([])
    dialogs.saves.push(join(docs, 'r.pdf'))
    await h.exportPdf({ html: '<p>r</p>', suggestedName: 'r.pdf' }, ctx)
    expect(printed).toEqual(['<p>r</p>'])
    expect(readFileSync(join(docs, 'r.pdf'), 'utf8')).toMatch(/^%PDF-/)

    const broken = setup({ printPdf: async () => Promise.reject(new Error('renderer gone')) })
    broken.dialogs.saves.push(join(broken.docs, 'r.pdf'))
    expect(await broken.h.exportPdf({ html: '<p/>', suggestedName: 'r.pdf' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'internal', message: 'printing the report to PDF failed: renderer gone' },
    })
    expect(readdirSync(broken.docs)).toEqual([])
  })
})
