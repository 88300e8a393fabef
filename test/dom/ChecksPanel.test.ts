// @vitest-environment happy-dom
/** The checks: failing first, with source and confidence, linked to the events that broke them. */
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import ChecksPanel from '../../src/renderer/src/components/ChecksPanel.vue'
import type { XenRunResult } from '../../src/shared/result'
import { ARM_REGRESSION, DOORBELL, presetRun } from './presetsFixture'

describe('ChecksPanel', () => {
  it('lists failing checks first, each with its source and confidence', () => {
    const r = presetRun(DOORBELL)
    const w = mount(ChecksPanel, { props: { checks: r.checks, events: r.events } })
    const items = w.findAll('.check')
    const failing = r.checks.filter((c) => !c.ok).length
    expect(items.slice(0, failing).every((i) => i.classes().includes('failed'))).toBe(true)
    expect(items[0]!.get('.check-source').text()).toMatch(/source|derived|model/)
    expect(w.get('.pane-title').text()).toContain(
      `${r.checks.length - failing} hold, ${failing} fail`,
    )
  })

  it('links a failing check to the event that broke it', async () => {
    const r = presetRun(ARM_REGRESSION) as XenRunResult
    const w = mount(ChecksPanel, { props: { checks: r.checks, events: r.events } })
    const check = r.checks.find((c) => c.id === 'hypercall-targets-own-vcpu')!
    expect(check.ok).toBe(false)
    const link = w.get(`[data-check-id="${check.id}"] [data-testid="check-ref"]`)
    expect(link.text()).toMatch(
      /^show tick \d+: EVTCHNOP_init_control\(vcpu 4294967295 \(-1\)\) for cpu 1 → -2 \(-ENOENT\)$/,
    )
    await link.trigger('click')
    expect(w.emitted('selectEvent')).toEqual([[check.refs[0]]])
  })

  it('says what checks are before a run', () => {
    const w = mount(ChecksPanel, { props: { checks: [] } })
    expect(w.text()).toContain('what a kernel engineer would assert')
  })
})
