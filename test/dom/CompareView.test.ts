// @vitest-environment happy-dom
/** The compare view: one scenario, two designs run at once, metrics and checks that differ. */
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import CompareView from '../../src/renderer/src/components/CompareView.vue'
import { useEditorStore } from '../../src/renderer/src/stores/editor'
import { mountLab, unmountAll } from './mountLab'
import { DOORBELL, presetDoc, presetRun } from './presetsFixture'

afterEach(unmountAll)

describe('CompareView', () => {
  it('asks for a scenario first', async () => {
    const { wrapper } = await mountLab(CompareView)
    expect(wrapper.get('[data-testid="compare-view"]').text()).toContain('Pick a preset')
  })

  it('runs first-come against aligned and shows what differs', async () => {
    const runs = { 'first-come': presetRun(DOORBELL), aligned: presetRun(DOORBELL, 'aligned') }
    const { wrapper, fake } = await mountLab(CompareView, {
      result: (req) => runs[req.design as keyof typeof runs],
    })
    useEditorStore().load(presetDoc(DOORBELL), `preset ${DOORBELL}`)
    await flushPromises()
    expect(
      (wrapper.get('[data-testid="compare-design-a"]').element as HTMLSelectElement).value,
    ).toBe('first-come')
    expect(
      (wrapper.get('[data-testid="compare-design-b"]').element as HTMLSelectElement).value,
    ).toBe('aligned')
    await wrapper.get('[data-testid="compare-button"]').trigger('click')
    await flushPromises()
    const designs = fake.calls
      .filter((c) => c.method === 'run')
      .map((c) => (c.request as { design: string }).design)
    expect(designs).toEqual(['first-come', 'aligned'])
    const lost = wrapper
      .get('[data-metric="doorbellsLost"]')
      .findAll('td')
      .map((t) => t.text())
    expect(lost.slice(1)).toEqual(['1', '0', '−1'.replace('−', '-')])
    const check = wrapper.get(
      '[data-testid="compare-checks"] [data-check-id="no-misdelivered-doorbell"]',
    )
    expect(check.text()).toContain('verdict differs')
    expect(check.findAll('.compare-line').map((l) => l.classes())).toEqual([
      ['compare-line', 'failed'],
      ['compare-line', 'ok'],
    ])
    // Both layouts side by side, not linked to the lab's selection.
    expect(wrapper.findAll('[data-testid="power-layout"]')).toHaveLength(2)
    expect(wrapper.text()).not.toContain('Click a thread to see its track')
  })

  it('will not compare a design with itself', async () => {
    const { wrapper } = await mountLab(CompareView)
    useEditorStore().load(presetDoc(DOORBELL), null)
    await flushPromises()
    await wrapper.get('[data-testid="compare-design-b"]').setValue('first-come')
    expect(wrapper.get('[data-testid="compare-button"]').attributes('disabled')).toBeDefined()
    expect(wrapper.text()).toContain('Pick two different designs.')
  })

  it('compares the 2014 code with piggybacking, each on its own kernel, and draws the piggybacked vcore', async () => {
    const id = 'book3s-power8-smt1-serialised-2014'
    const runs = { aligned: presetRun(id), piggyback: presetRun(id, 'piggyback') }
    const { wrapper } = await mountLab(CompareView, {
      result: (req) => runs[req.design as keyof typeof runs],
    })
    useEditorStore().load(presetDoc(id), `preset ${id}`)
    await flushPromises()
    await wrapper.get('[data-testid="compare-design-b"]').setValue('piggyback')
    await wrapper.get('[data-testid="compare-button"]').trigger('click')
    await flushPromises()
    const kernels = wrapper.findAll('[data-testid="kernel-note"]').map((k) => k.text())
    expect(kernels[0]).toMatch(/^kernel 3\.14: aligned threads/)
    expect(kernels[1]).toMatch(/^kernel 4\.3: piggybacking and dynamic micro-threading/)
    const util = wrapper
      .get('[data-metric="threadUtilisation"]')
      .findAll('td')
      .map((t) => t.text())
    expect(util.slice(1, 3)).toEqual(['12.5', '21.9'])
  })
})
