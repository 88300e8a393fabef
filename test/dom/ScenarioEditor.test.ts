// @vitest-environment happy-dom
/** The scenario editor: every field from the schema, checked as you type, with the JSON beside. */
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import ScenarioEditor from '../../src/renderer/src/components/ScenarioEditor.vue'
import { useEditorStore } from '../../src/renderer/src/stores/editor'
import { mountLab, unmountAll } from './mountLab'
import { ALIGNED, presetDoc, presetSummary } from './presetsFixture'

afterEach(unmountAll)

async function editing(doc = presetDoc(ALIGNED)) {
  const lab = await mountLab(ScenarioEditor, {
    presets: [presetSummary(ALIGNED)],
    documents: { [ALIGNED]: doc },
  })
  useEditorStore().load(doc, `preset ${ALIGNED}`)
  await flushPromises()
  return lab
}
const problemAt = (w: Awaited<ReturnType<typeof editing>>['wrapper'], path: string) =>
  w.findAll(`[data-testid="field-problem"][data-path="${path}"]`).map((p) => p.text())

describe('ScenarioEditor', () => {
  it('has an input for every field of the book3s format, with its meaning', async () => {
    const { wrapper } = await editing()
    for (const f of [
      'name',
      'description',
      'engine',
      'seed',
      'host.processor',
      'host.cores',
      'host.subcoresPerCore',
      'kvm.design',
      'kvm.smtMode',
      'kvm.emulSmtMode',
      'kvm.nrCpus',
      'kvm.doorbellMasks',
      'guest.vcpuIds',
      'guest.vcpus',
      'workload.until',
    ]) {
      expect(wrapper.find(`[data-field="${f}"]`).exists(), f).toBe(true)
    }
    expect(wrapper.text()).toContain('static split-core; POWER8 only (subcore.c)')
    expect(wrapper.get('[data-testid="editor-verdict"]').text()).toBe('✓ a valid scenario')
  })

  it('shows the schema’s message beside a field as you type, and clears it when fixed', async () => {
    const { wrapper } = await editing()
    const cores = wrapper.get('input[data-field="host.cores"]')
    await cores.setValue('0')
    expect(problemAt(wrapper, 'host.cores')).toEqual(['must be an integer from 1 to 1024 (got 0)'])
    expect(cores.attributes('aria-invalid')).toBe('true')
    expect(
      (wrapper.get('[data-testid="scenario-json"]').element as HTMLTextAreaElement).value,
    ).toContain('"cores": 0')
    await cores.setValue('two')
    expect(problemAt(wrapper, 'host.cores')).toEqual([
      'must be an integer from 1 to 1024 (got "two")',
    ])
    await cores.setValue('2')
    expect(problemAt(wrapper, 'host.cores')).toEqual([])
  })

  it('reads vcpu ids as a list with ranges, and says which token is wrong', async () => {
    const { wrapper } = await editing()
    const ids = wrapper.get('input[data-field="guest.vcpuIds"]')
    expect((ids.element as HTMLInputElement).value).toBe('0-7, 9, 10, 13, 15')
    await ids.setValue('0-3, x')
    expect(problemAt(wrapper, 'guest.vcpuIds')[0]).toBe('“x” is not an integer or a range like 4-7')
    await ids.setValue('0-3, 8')
    expect(useEditorStore().draft).toMatchObject({ guest: { vcpuIds: [0, 1, 2, 3, 8] } })
  })

  it('edits the same document in the JSON view, and reports JSON that does not parse', async () => {
    const { wrapper } = await editing()
    const json = wrapper.get('[data-testid="scenario-json"]')
    const doc = { ...presetDoc(ALIGNED), host: { processor: 'POWER7', cores: 1 } }
    await json.setValue(JSON.stringify(doc))
    expect(
      (wrapper.get('select[data-field="host.processor"]').element as HTMLSelectElement).value,
    ).toBe('POWER7')
    await json.setValue('{ "schemaVersion": ')
    expect(wrapper.get('[data-testid="json-error"]').text()).toMatch(/JSON|Unexpected/)
    expect(wrapper.get('[data-testid="editor-verdict"]').text()).toBe('the JSON text is refused')
  })

  it('refuses a key given twice in the JSON view, naming it, and keeps the last good document', async () => {
    const { wrapper } = await editing()
    const json = wrapper.get('[data-testid="scenario-json"]')
    const before = structuredClone(useEditorStore().draft)
    await json.setValue('{\n  "name": "a",\n  "name": "b"\n}')
    expect(wrapper.get('[data-testid="json-error"]').text()).toBe(
      'The JSON text is refused: name: the key "name" is given twice in one object (first at line 2, column 3); JSON readers keep only one of them: remove one (line 3, column 3). Run waits until it is fixed.',
    )
    expect(useEditorStore().draft).toEqual(before)
    expect(wrapper.get('[data-testid="editor-verdict"]').text()).toBe('the JSON text is refused')
  })

  it('switches engine to a starter of the other engine, keeping the name', async () => {
    const { wrapper } = await editing()
    await wrapper.get('select[data-field="engine"]').setValue('xen')
    const draft = useEditorStore().draft as Record<string, unknown>
    expect(draft.engine).toBe('xen')
    expect(draft.name).toBe(presetDoc(ALIGNED).name)
    expect(wrapper.find('[data-field="guest.maxVcpus"]').exists()).toBe(true)
    expect(wrapper.find('[data-field="linux.design"]').exists()).toBe(true)
  })

  it('edits xen steps by verb, each verb with its own fields', async () => {
    const { wrapper } = await editing()
    await wrapper.get('select[data-field="engine"]').setValue('xen')
    await wrapper.get('[data-testid="add-step"]').trigger('click')
    await wrapper.get('select[data-field="workload.steps[0].do"]').setValue('send-ipi')
    expect(wrapper.find('[data-field="workload.steps[0].target"]').exists()).toBe(true)
    expect(problemAt(wrapper, 'workload.steps[0].target')[0]).toMatch(/is required/)
    await wrapper.get('input[data-field="workload.steps[0].target"]').setValue('1')
    await wrapper.get('select[data-field="workload.steps[0].vector"]').setValue('reschedule')
    expect(useEditorStore().problems).toEqual([])
  })

  it('starts a new scenario from a preset or a starter', async () => {
    const { wrapper } = await editing()
    await wrapper.get('[data-testid="editor-start"]').setValue('new-xen')
    expect((useEditorStore().draft as { engine: string }).engine).toBe('xen')
    expect(wrapper.get('[data-testid="editor-verdict"]').text()).toBe('✓ a valid scenario')
  })
})
