// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, describe, expect, it } from 'vitest'
import { runBook3s } from '../../src/engines/book3s'
import App from '../../src/renderer/src/App.vue'
import { setLabClient } from '../../src/renderer/src/api/labClient'
import { parseScenario, type Book3sScenario } from '../../src/shared/scenario'
import type { RunResult } from '../../src/shared/result'
import { fakeClient } from './fakeClient'

const doc = {
  schemaVersion: 1,
  name: 'P8 demo',
  description: 'vcpu 13 lands on thread 5',
  engine: 'book3s',
  host: { processor: 'POWER8', cores: 2 },
  kvm: { design: 'aligned' },
  guest: { vcpuIds: [0, 13] },
}
const parsed = parseScenario(doc)
const result = runBook3s((parsed.ok ? parsed.scenario : null) as Book3sScenario)
const presets = [
  {
    id: 'p8',
    name: 'P8 demo',
    description: doc.description,
    engine: 'book3s' as const,
    design: 'aligned',
  },
]

// ECharts needs a real canvas; the chart's option is tested on its own (charts/powerLayoutOption).
const chartStub = { props: ['option'], template: '<div class="vchart-stub" />' }
const stubs = { VChart: chartStub, echarts: chartStub }

const mounted: { unmount(): void }[] = []
afterEach(() => mounted.splice(0).forEach((w) => w.unmount()))

async function mountApp(result: RunResult | undefined) {
  const fake = fakeClient({ presets, documents: { p8: doc }, result })
  setLabClient(fake.client)
  const wrapper = mount(App, { global: { plugins: [createPinia()], stubs } })
  mounted.push(wrapper)
  await flushPromises()
  return { wrapper, fake }
}

describe('App', () => {
  it('lists presets, runs the picked one and shows the layout, checks and vcpus', async () => {
    const { wrapper, fake } = await mountApp(result)
    const items = wrapper.findAll('[data-testid="preset-item"]')
    expect(items).toHaveLength(1)
    expect(wrapper.get('[data-testid="run-button"]').attributes('disabled')).toBeDefined()
    await items[0]!.trigger('click')
    await flushPromises()
    expect(wrapper.text()).toContain('vcpu 13 lands on thread 5')
    await wrapper.get('[data-testid="run-button"]').trigger('click')
    await flushPromises()
    expect(fake.calls.find((c) => c.method === 'run')?.request).toMatchObject({ scenario: doc })
    const pane = wrapper.get('[data-testid="power-layout"]')
    expect(pane.find('.vchart-stub').exists()).toBe(true)
    expect(wrapper.get('[data-testid="power-layout-summary"]').text()).toContain(
      'vcpu 13 on thread 5',
    )
    expect(wrapper.findAll('[data-testid="checks"] .check.ok')).toHaveLength(result.checks.length)
    expect(wrapper.get('[data-testid="status"]').text()).toMatch(
      new RegExp(`${result.checks.length} checks hold, 0 fail`),
    )
  })

  it('shows every problem of an invalid scenario with its path', async () => {
    const { wrapper } = await mountApp(undefined)
    await wrapper.get('[data-testid="preset-item"]').trigger('click')
    await flushPromises()
    await wrapper.get('[data-testid="run-button"]').trigger('click')
    await flushPromises()
    const err = wrapper.get('[data-testid="run-error"]')
    expect(err.text()).toContain('The scenario is not valid')
    expect(err.text()).toContain('guest.maxVcpus must be an integer from 1 to 4096 (got 0)')
  })

  it('runs with Ctrl+Enter', async () => {
    const { wrapper, fake } = await mountApp(result)
    await wrapper.get('[data-testid="preset-item"]').trigger('click')
    await flushPromises()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true }))
    await flushPromises()
    expect(fake.calls.filter((c) => c.method === 'run')).toHaveLength(1)
  })

  it('tells what to do before anything is picked', async () => {
    const { wrapper } = await mountApp(result)
    expect(wrapper.get('[data-testid="power-layout"]').text()).toContain(
      'Pick a POWER preset and press Run',
    )
    expect(wrapper.get('[data-testid="status"]').text()).toBe('Pick a preset to begin.')
  })
})
