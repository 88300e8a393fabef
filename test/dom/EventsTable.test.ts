// @vitest-environment happy-dom
/** The events table: filters by kind, CPU or vcpu, and result; hypercall columns; selection. */
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import EventsTable from '../../src/renderer/src/components/EventsTable.vue'
import type { XenRunResult } from '../../src/shared/result'
import { ARM_REGRESSION, DOORBELL, presetRun } from './presetsFixture'

const rows = (w: ReturnType<typeof mount>) => w.findAll('tr.event-row')

describe('EventsTable', () => {
  it('filters by kind, by a CPU or vcpu number, and by result', async () => {
    const r = presetRun(DOORBELL)
    const w = mount(EventsTable, { props: { events: r.events, selected: null } })
    expect(rows(w)).toHaveLength(r.events.length)
    await w.get('[data-testid="filter-kind"]').setValue('doorbell')
    expect(rows(w)).toHaveLength(r.events.filter((e) => e.kind === 'doorbell').length)
    await w.get('[data-testid="filter-result"]').setValue('bad')
    expect(rows(w).every((row) => row.classes().includes('bad'))).toBe(true)
    await w.get('[data-testid="filter-kind"]').setValue('')
    await w.get('[data-testid="filter-result"]').setValue('')
    await w.get('[data-testid="filter-number"]').setValue('9')
    expect(rows(w).length).toBeGreaterThan(0)
    expect(rows(w).every((row) => /\b9\b/.test(row.text()))).toBe(true)
    await w.get('[data-testid="filter-number"]').setValue('x')
    expect(w.text()).toContain('a CPU, vcpu or thread number')
  })

  it('shows a hypercall’s op, vCPU argument as Xen reads it, rc and errno', () => {
    const r = presetRun(ARM_REGRESSION) as XenRunResult
    const w = mount(EventsTable, { props: { events: r.events, selected: null } })
    expect(w.findAll('th').map((t) => t.text())).toEqual([
      '#',
      'tick',
      'kind',
      'what',
      'result',
      'op',
      'vCPU arg',
      'rc',
      'errno',
      'track',
    ])
    const i = r.events.findIndex((e) => e.kind === 'hypercall' && e.rc !== 0)
    const failed = w.get(`tr[data-event-index="${i}"]`)
    expect(
      failed
        .findAll('td')
        .map((t) => t.text())
        .slice(5, 9),
    ).toEqual(['EVTCHNOP_init_control', '4294967295 (-1)', '-2', 'ENOENT'])
    expect(failed.classes()).toContain('bad')
  })

  it('emits the row a person clicks, and marks the selected one', async () => {
    const r = presetRun(ARM_REGRESSION) as XenRunResult
    const w = mount(EventsTable, { props: { events: r.events, selected: 2 } })
    expect(rows(w)[2]!.attributes('aria-selected')).toBe('true')
    await rows(w)[1]!.trigger('click')
    expect(w.emitted('select')).toEqual([[1]])
  })

  it('draws only the rows in view for a long run', () => {
    const one = (presetRun(ARM_REGRESSION) as XenRunResult).events[0]!
    const events = Array.from({ length: 50_000 }, (_, i) => ({ ...one, at: i }))
    const w = mount(EventsTable, { props: { events, selected: null } })
    expect(rows(w).length).toBeLessThan(60)
    expect(w.get('[data-testid="events-count"]').text()).toBe('50,000 of 50,000')
  })
})
