// @vitest-environment happy-dom
/** The whole window with a fake client: presets by story, a run, the panes, the keyboard. */
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import App from '../../src/renderer/src/App.vue'
import { mountLab, nextFrame, unmountAll } from './mountLab'
import { ALIGNED, DOORBELL, presetDoc, presetRun, presetSummary } from './presetsFixture'

afterEach(unmountAll)

const presets = [presetSummary(DOORBELL), presetSummary(ALIGNED)]
const documents = { [DOORBELL]: presetDoc(DOORBELL), [ALIGNED]: presetDoc(ALIGNED) }
const result = presetRun(DOORBELL)

describe('App', () => {
  it('groups the presets by engine and story, each with a one-line description', async () => {
    const { wrapper } = await mountLab(App, { presets, documents, result })
    const groups = wrapper.findAll('.preset-group')
    expect(groups.map((g) => g.get('h4').text())).toEqual([
      'Why a POWER doorbell goes astray',
      'vcpus into virtual cores',
    ])
    const item = wrapper.get(`[data-preset-id="${DOORBELL}"]`)
    expect(item.get('.preset-line').text()).toBe(
      'The seed’s story under the 2013 code.'.replace('’', "'"),
    )
  })

  it('runs the picked preset and fills the layout, timeline, checks and events', async () => {
    const { wrapper, fake, charts } = await mountLab(App, { presets, documents, result })
    expect(wrapper.get('[data-testid="run-button"]').attributes('disabled')).toBeDefined()
    await wrapper.get(`[data-preset-id="${DOORBELL}"]`).trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="design-note"]').text()).toContain('book3s_hv.c @4b8473c9')
    await wrapper.get('[data-testid="run-button"]').trigger('click')
    await nextFrame()
    expect(fake.calls.find((c) => c.method === 'run')?.request).toMatchObject({
      scenario: documents[DOORBELL],
    })
    expect(wrapper.find('[data-testid="power-layout"] .vchart-stub').exists()).toBe(true)
    const failed = result.checks.filter((c) => !c.ok).length
    expect(wrapper.findAll('[data-testid="checks"] .check.failed')).toHaveLength(failed)
    expect(wrapper.get('[data-testid="status"]').text()).toMatch(
      new RegExp(`${result.checks.length - failed} checks hold, ${failed} fail`),
    )
    expect(wrapper.get('[data-testid="events-count"]').text()).toContain(
      `of ${result.events.length}`,
    )
    expect(
      Number(wrapper.get('[data-testid="timeline"]').attributes('data-spans')),
    ).toBeGreaterThan(0)
    expect(charts.options.length).toBeGreaterThan(0)
    // The Xen pane says what to do, since nothing ran there.
    expect(wrapper.get('[data-testid="xen-layout"]').text()).toContain('Pick a Xen preset')
  })

  it('shows every problem of an invalid scenario with its path, and where to fix it', async () => {
    const { wrapper } = await mountLab(App, { presets, documents, result: undefined })
    await wrapper.get(`[data-preset-id="${DOORBELL}"]`).trigger('click')
    await flushPromises()
    await wrapper.get('[data-testid="run-button"]').trigger('click')
    await flushPromises()
    const err = wrapper.get('[data-testid="run-error"]')
    expect(err.text()).toContain('The scenario is not valid')
    expect(err.text()).toContain('guest.maxVcpus must be an integer from 1 to 4096 (got 0)')
    expect(err.text()).toContain('Scenario tab')
  })

  it('runs with Ctrl+Enter, shows the shortcuts on ?, and closes them on Esc', async () => {
    const { wrapper, fake } = await mountLab(App, { presets, documents, result })
    await wrapper.get(`[data-preset-id="${DOORBELL}"]`).trigger('click')
    await flushPromises()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true }))
    await flushPromises()
    expect(fake.calls.filter((c) => c.method === 'run')).toHaveLength(1)
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '?' }))
    await flushPromises()
    const dialog = wrapper.get('[data-testid="shortcuts"]')
    expect(dialog.text()).toContain('Ctrl+Enter')
    expect(dialog.text()).toContain('Ctrl+Shift+S')
    expect(dialog.text()).not.toContain('issue 7')
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))
    await flushPromises()
    expect(wrapper.find('[data-testid="shortcuts"]').exists()).toBe(false)
  })

  it('opens with Ctrl+O, saves with Ctrl+S and saves elsewhere with Ctrl+Shift+S', async () => {
    const { wrapper, fake } = await mountLab(App, { presets, documents, result })
    await wrapper.get(`[data-preset-id="${DOORBELL}"]`).trigger('click')
    await flushPromises()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 's', ctrlKey: true }))
    await flushPromises()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'S', ctrlKey: true, shiftKey: true }))
    await flushPromises()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'o', ctrlKey: true }))
    await flushPromises()
    expect(fake.callsOf('saveScenario').map((r) => (r as { saveAs: boolean }).saveAs)).toEqual([
      false,
      true,
    ])
    expect(fake.callsOf('openScenario')).toEqual([{}])
    // Plain S still zooms the timeline out; it saves nothing.
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 's' }))
    await flushPromises()
    expect(fake.callsOf('saveScenario')).toHaveLength(2)
  })

  it('runs nothing while the JSON view does not parse, and says where it broke', async () => {
    const { wrapper, fake } = await mountLab(App, { presets, documents, result })
    await wrapper.get(`[data-preset-id="${DOORBELL}"]`).trigger('click')
    await flushPromises()
    await wrapper.get('[data-testid="tab-scenario"]').trigger('click')
    const json = wrapper.get('[data-testid="scenario-json"]')
    await json.setValue('{\n  "schemaVersion": 1,\n  "name": }')
    const error = wrapper.get('[data-testid="json-error"]').text()
    expect(error).toContain('line 3, column')
    expect(wrapper.get('[data-testid="editor-run"]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid="run-button"]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid="status"]').text()).toBe(
      'The JSON view is refused: Run waits until it is fixed.',
    )
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true }))
    await flushPromises()
    expect(fake.calls.filter((c) => c.method === 'run')).toHaveLength(0)
    // From the Lab tab, the status says where the JSON view is.
    await wrapper.get('[data-testid="tab-lab"]').trigger('click')
    expect(wrapper.get('[data-testid="status"]').text()).toBe(
      'The JSON view is refused: Run waits until it is fixed (Scenario tab).',
    )
    await wrapper.get('[data-testid="tab-scenario"]').trigger('click')
    // Fixed, it runs again.
    await wrapper.get('[data-testid="scenario-json"]').setValue(JSON.stringify(documents[DOORBELL]))
    expect(wrapper.find('[data-testid="json-error"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="editor-run"]').attributes('disabled')).toBeUndefined()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true }))
    await flushPromises()
    expect(fake.calls.filter((c) => c.method === 'run')).toHaveLength(1)
  })

  it('gives the pane of an engine that has not run a narrow column once the other has', async () => {
    const { wrapper } = await mountLab(App, { presets, documents, result })
    expect(wrapper.get('.layouts').classes()).not.toContain('only-power')
    await wrapper.get(`[data-preset-id="${DOORBELL}"]`).trigger('click')
    await flushPromises()
    await wrapper.get('[data-testid="run-button"]').trigger('click')
    await nextFrame()
    expect(wrapper.get('.layouts').classes()).toContain('only-power')
  })

  it('tells what to do before anything is picked', async () => {
    const { wrapper } = await mountLab(App, { presets, documents, result })
    expect(wrapper.get('[data-testid="power-layout"]').text()).toContain(
      'Pick a KVM on POWER preset',
    )
    expect(wrapper.get('[data-testid="timeline"]').text()).toContain('Run a preset')
    expect(wrapper.get('[data-testid="status"]').text()).toMatch(/^Pick a preset on the left/)
  })
})
