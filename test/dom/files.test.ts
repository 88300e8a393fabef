// @vitest-environment happy-dom
/**
 * Scenario files in the window, with a fake far side: open, save, the title and its unsaved
 * marker, an invalid file that changes nothing, the question before unsaved work is replaced,
 * the draft kept and offered back, a dropped file, the menu's commands and the recent files.
 */
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import App from '../../src/renderer/src/App.vue'
import { useEditorStore } from '../../src/renderer/src/stores/editor'
import {
  AUTOSAVE_MS,
  useFilesStore as useFilesStoreForTest,
} from '../../src/renderer/src/stores/files'
import type { SaveScenarioRequest } from '../../src/shared/contract'
import { mountLab, unmountAll } from './mountLab'
import { ALIGNED, DOORBELL, presetDoc, presetRun, presetSummary } from './presetsFixture'

afterEach(() => {
  unmountAll()
  vi.useRealTimers()
})

const presets = [presetSummary(DOORBELL), presetSummary(ALIGNED)]
const documents = { [DOORBELL]: presetDoc(DOORBELL), [ALIGNED]: presetDoc(ALIGNED) }
const result = presetRun(DOORBELL)
const fileText = `${JSON.stringify(presetDoc(ALIGNED), null, 2)}\n`
const HANDLE = 'c'.repeat(32)

async function pick(wrapper: VueWrapper, id: string) {
  await wrapper.get(`[data-preset-id="${id}"]`).trigger('click')
  await flushPromises()
}

async function editName(wrapper: VueWrapper, name: string) {
  await wrapper.get('[data-testid="tab-scenario"]').trigger('click')
  await flushPromises()
  const input = wrapper.get('[data-testid="scenario-editor"] input[data-field="name"]')
  await input.setValue(name)
  await flushPromises()
}

describe('opening a scenario file', () => {
  it('puts a valid file in the editor, names it in the title, and saves back to it', async () => {
    const { wrapper, fake } = await mountLab(App, {
      presets,
      documents,
      result,
      carrier: 'electron',
      openAnswers: [{ fileId: HANDLE, name: 'aligned.json', text: fileText }],
    })
    await wrapper.get('[data-testid="open-button"]').trigger('click')
    await flushPromises()
    const editor = useEditorStore()
    expect(editor.draft).toEqual(presetDoc(ALIGNED))
    expect(editor.jsonText).toBe(fileText)
    expect(document.title).toBe('aligned.json — vCPU Lab')
    expect(wrapper.get('[data-testid="document-name"]').attributes('data-dirty')).toBe('false')
    expect(wrapper.get('[data-testid="notice"]').text()).toContain('Opened “aligned.json”')

    await editName(wrapper, 'Mine')
    expect(document.title).toBe('● aligned.json — vCPU Lab')
    expect(wrapper.get('[data-testid="unsaved-marker"]').text()).toBe('● unsaved changes')

    await wrapper.get('[data-testid="save-button"]').trigger('click')
    await flushPromises()
    const req = fake.callsOf('saveScenario')[0] as SaveScenarioRequest
    expect(req).toMatchObject({ fileId: HANDLE, saveAs: false, suggestedName: 'aligned.json' })
    expect(JSON.parse(req.text)).toEqual({ ...presetDoc(ALIGNED), name: 'Mine' })
    expect(req.text.endsWith('\n')).toBe(true)
    expect(document.title).toBe('aligned.json — vCPU Lab')
    expect(wrapper.find('[data-testid="unsaved-marker"]').exists()).toBe(false)
  })

  it('shows every problem of an invalid file with its field, and keeps the current scenario', async () => {
    const bad = { ...presetDoc(ALIGNED), host: { processor: 'POWER10', cores: 0 }, colour: 'red' }
    const { wrapper } = await mountLab(App, {
      presets,
      documents,
      result,
      openAnswers: [{ fileId: null, name: 'bad.json', text: JSON.stringify(bad) }],
    })
    await pick(wrapper, DOORBELL)
    await editName(wrapper, 'Work in progress')
    const editor = useEditorStore()
    const before = { draft: editor.draft, text: editor.jsonText, title: document.title }
    await wrapper.get('[data-testid="open-button"]').trigger('click')
    await flushPromises()
    const panel = wrapper.get('[data-testid="file-problems"]')
    expect(panel.text()).toContain('“bad.json” is not a scenario the lab can open')
    expect(panel.text()).toContain('Your current scenario is unchanged')
    const lines = panel.findAll('[data-testid="file-problem"]')
    expect(lines.map((l) => l.attributes('data-path'))).toEqual([
      'host.processor',
      'host.cores',
      'colour',
    ])
    expect(lines.map((l) => l.text())).toEqual([
      'host.processor must be one of "POWER7", "POWER8", "POWER9" (got "POWER10")',
      'host.cores must be an integer from 1 to 1024 (got 0)',
      expect.stringMatching(/^colour unknown field; allowed fields here: schemaVersion, name/),
    ])
    expect({ draft: editor.draft, text: editor.jsonText, title: document.title }).toEqual(before)
    expect(editor.dirty).toBe(true)

    // It can still be opened to fix it, after the question about the unsaved work.
    await wrapper.get('[data-testid="file-open-anyway"]').trigger('click')
    await flushPromises()
    await wrapper.get('[data-testid="unsaved-discard"]').trigger('click')
    await flushPromises()
    expect(editor.draft).toEqual(bad)
    expect(wrapper.find('[data-testid="file-problems"]').exists()).toBe(false)
  })

  it('reports a file that is not JSON with its line and column, and changes nothing', async () => {
    const { wrapper } = await mountLab(App, {
      presets,
      documents,
      result,
      openAnswers: [
        { fileId: null, name: 'typo.json', text: '{\n  "schemaVersion": 1,\n  "name": "x",\n}' },
      ],
    })
    await pick(wrapper, DOORBELL)
    await wrapper.get('[data-testid="open-button"]').trigger('click')
    await flushPromises()
    const line = wrapper.get('[data-testid="file-problem"]')
    expect(line.attributes('data-path')).toBe('')
    expect(line.text()).toMatch(/^\(file\) not valid JSON: .*\(line 4, column 1\)$/)
    expect(wrapper.find('[data-testid="file-open-anyway"]').exists()).toBe(false)
    expect(useEditorStore().draft).toEqual(presetDoc(DOORBELL))
  })

  it('opens a .json file dropped on the window, which then saves through a dialog', async () => {
    const { wrapper, fake } = await mountLab(App, { presets, documents, result })
    const file = new File([fileText], 'dropped.json', { type: 'application/json' })
    await wrapper.trigger('dragenter', { dataTransfer: { types: ['Files'] } })
    expect(wrapper.find('[data-testid="drop-overlay"]').exists()).toBe(true)
    await wrapper.trigger('drop', { dataTransfer: { types: ['Files'], files: [file] } })
    await flushPromises()
    await new Promise((r) => setTimeout(r, 20))
    await flushPromises()
    expect(wrapper.find('[data-testid="drop-overlay"]').exists()).toBe(false)
    expect(useEditorStore().draft).toEqual(presetDoc(ALIGNED))
    expect(document.title).toBe('dropped.json — vCPU Lab')
    await wrapper.get('[data-testid="save-button"]').trigger('click')
    await flushPromises()
    expect(fake.callsOf('saveScenario')[0]).toMatchObject({
      fileId: null,
      suggestedName: 'dropped.json',
    })
    // Anything else dropped is refused with a word.
    const png = new File(['x'], 'chart.png', { type: 'image/png' })
    await wrapper.trigger('drop', { dataTransfer: { types: ['Files'], files: [png] } })
    await flushPromises()
    expect(wrapper.get('[data-testid="notice"]').text()).toContain(
      '“chart.png” is not a .json scenario file',
    )
  })
})

describe('unsaved work', () => {
  it('asks before a preset replaces it: cancel keeps it, save saves it first', async () => {
    const { wrapper, fake } = await mountLab(App, { presets, documents, result })
    await pick(wrapper, DOORBELL)
    await editName(wrapper, 'Edited')
    await pick(wrapper, ALIGNED)
    const dialog = wrapper.get('[data-testid="unsaved-dialog"]')
    expect(dialog.text()).toContain('Save the changes to Edited?')
    await wrapper.get('[data-testid="unsaved-cancel"]').trigger('click')
    await flushPromises()
    expect(useEditorStore().scenarioName).toBe('Edited')
    expect(fake.callsOf('readPreset')).toHaveLength(1)

    await pick(wrapper, ALIGNED)
    await wrapper.get('[data-testid="unsaved-save"]').trigger('click')
    await flushPromises()
    expect(fake.callsOf('saveScenario')).toHaveLength(1)
    expect(JSON.parse((fake.callsOf('saveScenario')[0] as SaveScenarioRequest).text).name).toBe(
      'Edited',
    )
    expect(useEditorStore().draft).toEqual(presetDoc(ALIGNED))
  })

  it('refuses to save a JSON view that does not parse, and says the text is kept', async () => {
    const { wrapper, fake } = await mountLab(App, { presets, documents, result })
    await pick(wrapper, DOORBELL)
    await wrapper.get('[data-testid="tab-scenario"]').trigger('click')
    await flushPromises()
    await wrapper.get('[data-testid="scenario-json"]').setValue('{ "schemaVersion": 1,')
    await wrapper.get('[data-testid="save-button"]').trigger('click')
    await flushPromises()
    expect(fake.callsOf('saveScenario')).toEqual([])
    expect(wrapper.get('[data-testid="notice"]').text()).toContain('fix it before saving')
  })
})

describe('the draft', () => {
  it('is kept a moment after the last change, and cleared once the work is saved', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { wrapper, fake } = await mountLab(App, { presets, documents, result })
    await pick(wrapper, DOORBELL)
    await editName(wrapper, 'Draft me')
    expect(fake.callsOf('saveDraft')).toEqual([])
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS + 10)
    const kept = fake.callsOf('saveDraft')
    expect(kept).toHaveLength(1)
    expect(kept[0]).toMatchObject({ name: null, fileId: null })
    expect(JSON.parse((kept[0] as { text: string }).text).name).toBe('Draft me')
    expect(fake.store.draft).not.toBeNull()
    await wrapper.get('[data-testid="save-button"]').trigger('click')
    await flushPromises()
    expect(fake.store.draft).toBeNull()
  })

  it('says once that autosave failed, and again only after it worked in between', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const full = 'the draft could not be written: ENOSPC: no space left on device'
    const { wrapper, fake } = await mountLab(App, { presets, documents, result, draftError: full })
    await pick(wrapper, DOORBELL)
    await editName(wrapper, 'Draft me')
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS + 10)
    const notice = () => wrapper.get('[data-testid="notice"]')
    expect(notice().text()).toContain(`Autosave failed: ${full}.`)
    expect(notice().text()).toContain('save it to a file (Ctrl+S)')
    expect(notice().attributes('data-kind')).toBe('error')

    // The same failure on the next change is not said again over what the person did since.
    useFilesStoreForTest().say('info', 'something else')
    await editName(wrapper, 'Draft me again')
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS + 10)
    expect(fake.callsOf('saveDraft')).toHaveLength(2)
    expect(notice().text()).toContain('something else')
    expect(notice().text()).not.toContain('Autosave')

    // Once it worked, a new failure is said again.
    fake.store.draftError = null
    await editName(wrapper, 'Draft me 3')
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS + 10)
    fake.store.draftError = full
    await editName(wrapper, 'Draft me 4')
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS + 10)
    expect(notice().text()).toContain('Autosave failed')
  })

  it('is offered back on the next start: restore puts it in the editor, unsaved', async () => {
    const text = JSON.stringify({ ...presetDoc(ALIGNED), name: 'Left behind' }, null, 2)
    const { wrapper, fake } = await mountLab(App, {
      presets,
      documents,
      result,
      carrier: 'electron',
      draft: { text, name: 'left.json', fileId: HANDLE, savedAt: '2026-11-21T09:30:00.000Z' },
    })
    const offer = wrapper.get('[data-testid="draft-offer"]')
    expect(offer.text()).toContain('left.json')
    expect(offer.text()).toContain('21 Nov 2026')
    await offer.get('[data-testid="draft-restore"]').trigger('click')
    await flushPromises()
    const editor = useEditorStore()
    expect(editor.jsonText).toBe(text)
    expect(editor.dirty).toBe(true)
    expect(document.title).toBe('● left.json — vCPU Lab')
    expect(wrapper.find('[data-testid="draft-offer"]').exists()).toBe(false)
    await wrapper.get('[data-testid="save-button"]').trigger('click')
    await flushPromises()
    expect(fake.callsOf('saveScenario')[0]).toMatchObject({ fileId: HANDLE, saveAs: false })
  })

  it('keeps a draft typed half-way, and discarding forgets it', async () => {
    const { wrapper, fake } = await mountLab(App, {
      presets,
      documents,
      result,
      draft: { text: '{ "name": "half', name: null, fileId: null, savedAt: 'x' },
    })
    expect(wrapper.get('[data-testid="draft-offer"]').text()).toContain('an untitled scenario')
    await wrapper.get('[data-testid="draft-discard"]').trigger('click')
    await flushPromises()
    expect(fake.store.draft).toBeNull()
    expect(fake.callsOf('clearDraft')).toHaveLength(1)
    expect(useEditorStore().draft).toBeNull()
  })

  it('is never overwritten while it waits for an answer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const old = { text: '{"name":"old"}', name: null, fileId: null, savedAt: 'x' }
    const { wrapper, fake } = await mountLab(App, { presets, documents, result, draft: old })
    await pick(wrapper, DOORBELL)
    await editName(wrapper, 'New work')
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS * 3)
    expect(fake.callsOf('saveDraft')).toEqual([])
    expect(fake.store.draft).toEqual(old)
  })
})

describe('the menu and the recent files', () => {
  it('does what the File menu asks', async () => {
    const { wrapper, fake } = await mountLab(App, {
      presets,
      documents,
      result,
      carrier: 'electron',
      openAnswers: [null],
      recent: [{ id: 'a'.repeat(32), name: 'doorbells.json', location: '/home/me' }],
    })
    await pick(wrapper, DOORBELL)
    fake.menu({ command: 'save-as' })
    await flushPromises()
    expect(fake.callsOf('saveScenario')[0]).toMatchObject({
      saveAs: true,
      suggestedName: 'power8-doorbells-before-the-fix-first-come-threads.json',
    })
    fake.menu({ command: 'open' })
    await flushPromises()
    fake.menu({ command: 'open-recent', id: 'a'.repeat(32) })
    await flushPromises()
    expect(fake.callsOf('openScenario')).toEqual([{}, { recentId: 'a'.repeat(32) }])
    const before = fake.callsOf('recentFiles').length
    fake.menu({ command: 'recent-changed' })
    await flushPromises()
    expect(fake.callsOf('recentFiles')).toHaveLength(before + 1)
  })

  it('lists the recent files in the desktop app; a click opens one', async () => {
    const { wrapper, fake } = await mountLab(App, {
      presets,
      documents,
      result,
      carrier: 'electron',
      recent: [{ id: 'a'.repeat(32), name: 'doorbells.json', location: '/home/me/papers' }],
    })
    const item = wrapper.get('[data-testid="recent-file"]')
    expect(item.text()).toContain('doorbells.json')
    expect(item.text()).toContain('/home/me/papers')
    await item.trigger('click')
    await flushPromises()
    expect(fake.callsOf('openScenario')).toEqual([{ recentId: 'a'.repeat(32) }])
  })

  it('says why the browser preview has no recent files', async () => {
    const { wrapper } = await mountLab(App, { presets, documents, result, carrier: 'web' })
    expect(wrapper.find('[data-testid="recent-file"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="recent-web-note"]').text()).toContain(
      'a browser does not tell the page where a file lives',
    )
    expect(wrapper.get('[data-testid="save-button"]').text()).toBe('Save (download)')
  })
})
