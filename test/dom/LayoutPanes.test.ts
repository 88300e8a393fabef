// @vitest-environment happy-dom
/** The two layout panes: the option they draw, empty and error states, clicks that select. */
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import PowerLayoutPane from '../../src/renderer/src/components/PowerLayoutPane.vue'
import XenLayoutPane from '../../src/renderer/src/components/XenLayoutPane.vue'
import { useRunStore } from '../../src/renderer/src/stores/run'
import { useViewStore } from '../../src/renderer/src/stores/view'
import { mountLab, unmountAll } from './mountLab'
import type { XenRunResult } from '../../src/shared/result'
import { ARM_REGRESSION, DOORBELL, presetDoc, presetRun } from './presetsFixture'

afterEach(unmountAll)

describe('PowerLayoutPane', () => {
  it('draws the layout with the doorbells that went astray, and selects a clicked thread', async () => {
    const result = presetRun(DOORBELL)
    const { wrapper } = await mountLab(PowerLayoutPane, {}, { result })
    const chart = wrapper.getComponent({ name: 'VChart' })
    const option = chart.props('option') as { series: { name: string }[] }
    expect(option.series.map((s) => s.name)).toEqual([
      'legend hatch',
      'doorbells',
      'selection',
      'threads',
    ])
    expect(chart.attributes('data-notes')).toBe('2')
    chart.vm.$emit('click', { seriesName: 'threads', dataIndex: 1 })
    await flushPromises()
    const view = useViewStore()
    expect([view.cpu, view.vcpu]).toEqual([1, 10])
    // Outlined only when the timeline shows this pane's run.
    expect(wrapper.getComponent({ name: 'VChart' }).attributes('data-selected-cpu')).toBe('')
  })

  it('outlines the selected thread of the run the timeline shows', async () => {
    const result = presetRun(DOORBELL)
    const { wrapper } = await mountLab(PowerLayoutPane, { result }, { result: null })
    await useRunStore().run(presetDoc(DOORBELL))
    await wrapper.setProps({ result: useRunStore().latestBook3s })
    const view = useViewStore()
    view.selectCpu('book3s', 1)
    await flushPromises()
    expect(wrapper.getComponent({ name: 'VChart' }).attributes('data-selected-cpu')).toBe('1')
  })

  it('says what to do before a run', async () => {
    const { wrapper } = await mountLab(PowerLayoutPane, {}, { result: null })
    expect(wrapper.text()).toContain('Pick a KVM on POWER preset')
  })
})

describe('XenLayoutPane', () => {
  it('draws the map and selects a clicked CPU or vCPU', async () => {
    const result = presetRun(ARM_REGRESSION) as XenRunResult
    const { wrapper } = await mountLab(XenLayoutPane, {}, { result })
    const chart = wrapper.getComponent({ name: 'VChart' })
    expect(chart.attributes('data-failed')).toBe('1')
    expect(wrapper.get('[data-testid="xen-layout-summary"]').text()).toContain(
      'EVTCHNOP_init_control(vcpu 4294967295 (-1)) → -2 (-ENOENT)',
    )
    chart.vm.$emit('click', { seriesName: 'cpus', dataIndex: 1 })
    await flushPromises()
    expect(useViewStore().cpu).toBe(1)
    chart.vm.$emit('click', { seriesName: 'cpus', dataIndex: 2 })
    await flushPromises()
    expect(useViewStore().vcpu).toBe(0)
  })

  it('shows why there is no Xen run (an engine this build lacks)', async () => {
    const error = {
      code: 'run-failed' as const,
      message: 'the xen engine is not part of this build yet',
    }
    const { wrapper } = await mountLab(XenLayoutPane, {}, { result: null, error })
    expect(wrapper.get('[data-testid="xen-layout-error"]').text()).toBe(error.message)
  })
})
