// @vitest-environment happy-dom
/** A run that takes long: a progress bar and Cancel after half a second; Cancel stops it. */
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import RunBar from '../../src/renderer/src/components/RunBar.vue'
import { useEditorStore } from '../../src/renderer/src/stores/editor'
import { SLOW_RUN_MS, useRunStore } from '../../src/renderer/src/stores/run'
import { mountLab, unmountAll } from './mountLab'
import { DOORBELL, presetDoc, presetRun } from './presetsFixture'

afterEach(() => {
  unmountAll()
  vi.useRealTimers()
})

describe('RunBar', () => {
  it('shows progress and Cancel only for a run that takes over half a second', async () => {
    vi.useFakeTimers()
    const { wrapper, fake } = await mountLab(RunBar, { hold: true, result: presetRun(DOORBELL) })
    useEditorStore().load(presetDoc(DOORBELL), null)
    const running = useRunStore().run(presetDoc(DOORBELL))
    await flushPromises()
    expect(wrapper.find('[data-testid="progress"]').exists()).toBe(false)
    vi.advanceTimersByTime(SLOW_RUN_MS + 10)
    await flushPromises()
    const id = useRunStore().runId!
    fake.emit({
      runId: id,
      events: 4096,
      tick: 250,
      until: 1000,
      recorded: 1234,
      recordLimit: 2_000_000,
    })
    await flushPromises()
    expect(wrapper.get('[data-testid="progress"]').attributes('value')).toBe('0.25')
    expect(wrapper.get('[data-testid="status"]').text()).toBe(
      'Running… 25% · 4,096 events, tick 250 · recorded 1,234 of at most 2,000,000 events and spans',
    )
    await wrapper.get('[data-testid="cancel-button"]').trigger('click')
    await running
    await flushPromises()
    expect(fake.calls.find((c) => c.method === 'cancelRun')?.request).toEqual({ runId: id })
    expect(wrapper.find('[data-testid="progress"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="status"]').text()).toBe(
      'Cancelled. The panes still show the previous runs.',
    )
  })

  it('finishes a quick run with no progress bar at all', async () => {
    const { wrapper } = await mountLab(RunBar, { result: presetRun(DOORBELL) })
    useEditorStore().load(presetDoc(DOORBELL), null)
    await useRunStore().run(presetDoc(DOORBELL))
    await flushPromises()
    expect(wrapper.find('[data-testid="progress"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="status"]').text()).toMatch(/^Ran “POWER8 doorbells/)
  })

  it('explains each design in two sentences with its commit', async () => {
    const { wrapper } = await mountLab(RunBar)
    useEditorStore().load({ ...presetDoc(DOORBELL), kvm: { design: 'aligned' } }, null)
    await flushPromises()
    expect(wrapper.get('[data-testid="design-note"]').text()).toContain(
      'e0b7ec05 “Align physical and virtual CPU thread numbers”',
    )
  })

  it('says which kernel runs beside the design, and how its release was verified', async () => {
    const { wrapper } = await mountLab(RunBar)
    useEditorStore().load(
      { ...presetDoc(DOORBELL), kvm: { design: 'dynamic-micro-threading', kernel: '4.9' } },
      null,
    )
    await flushPromises()
    const k = wrapper.get('[data-testid="kernel-note"]').text()
    expect(k).toContain('kernel 4.9: piggybacking onto a subcore taken out')
    const boundary = wrapper.get('[data-testid="kernel-boundary"]')
    expect(boundary.text()).toBe('release verified')
    expect(boundary.attributes('title')).toContain('4.8.15 still has can_piggyback_subcore')
    // A kernel left out is the design's first release.
    useEditorStore().load({ ...presetDoc(DOORBELL), kvm: { design: 'piggyback' } }, null)
    await flushPromises()
    expect(wrapper.get('[data-testid="kernel-note"]').text()).toMatch(/^kernel 4\.3: piggybacking/)
  })
})
