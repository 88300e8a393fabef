// @vitest-environment happy-dom
/** The timeline pane: drawn each frame from the store, linked to the layouts, driven by keys. */
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import App from '../../src/renderer/src/App.vue'
import { useRunStore } from '../../src/renderer/src/stores/run'
import { useViewStore } from '../../src/renderer/src/stores/view'
import { NUMBER_PATH } from '../../src/shared/charts/numberPath'
import { mountLab, nextFrame, unmountAll } from './mountLab'
import { DOORBELL, presetDoc, presetRun } from './presetsFixture'

afterEach(unmountAll)
const result = presetRun(DOORBELL)

async function ranLab() {
  const lab = await mountLab(App, { result })
  await useRunStore().run(presetDoc(DOORBELL))
  await nextFrame()
  return lab
}

describe('TimelinePane', () => {
  it('draws the run: one row per busy thread or vcore, the idle ones hidden until asked for', async () => {
    const { wrapper, charts } = await ranLab()
    const pane = wrapper.get('[data-testid="timeline"]')
    const spans = result.timeline.tracks.reduce((n, t) => n + t.spans.length, 0)
    expect(Number(pane.attributes('data-spans'))).toBe(spans)
    const busy = result.timeline.tracks.filter(
      (t) =>
        t.spans.length > 0 ||
        result.events.some((e) => 'toTracks' in e && e.toTracks?.includes(t.id)),
    ).length
    expect(Number(pane.attributes('data-tracks'))).toBe(busy)
    const last = charts.options.at(-1) as { series: { name: string }[] }
    expect(last.series.map((s) => s.name)).toEqual(['spans', 'events', 'legend'])
    await wrapper.get('[data-testid="show-idle"]').setValue(true)
    await nextFrame()
    expect(Number(pane.attributes('data-tracks'))).toBe(result.timeline.tracks.length)
  })

  it('highlights the track of a thread selected in the layout, and the thread of a clicked row', async () => {
    const { wrapper } = await ranLab()
    const view = useViewStore()
    view.selectCpu('book3s', 1)
    await nextFrame()
    const pane = wrapper.get('[data-testid="timeline"]')
    expect(pane.attributes('data-selected-tracks')).toBe('cpu1')
    expect(wrapper.get('[data-testid="details-panel"]').text()).toContain(
      'hardware thread 1 · vcpu 10',
    )
    view.selectRow(0)
    await flushPromises()
    expect(view.cpu).toBe(0)
    expect(view.vcpu).toBe(9)
  })

  it('zooms with W and S and pans with A and D, Perfetto’s keys, and F fits the run again', async () => {
    const { wrapper } = await ranLab()
    const pane = wrapper.get('[data-testid="timeline"]')
    const win = () => pane.attributes('data-window')!.split(',').map(Number) as [number, number]
    const [from, to] = win()
    const key = async (k: string) => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: k }))
      await nextFrame()
    }
    await key('w')
    expect(win()[1] - win()[0]).toBeLessThan(to - from)
    await key('d')
    expect(win()[0]).toBeGreaterThan(from)
    await key('a')
    await key('s')
    await key('f')
    expect(win()).toEqual([from, to])
  })

  it('steps from event to event with . and , and shows each in the details panel', async () => {
    const { wrapper } = await ranLab()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '.' }))
    await nextFrame()
    const view = useViewStore()
    expect(view.event).not.toBeNull()
    const first = view.event
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '.' }))
    await nextFrame()
    expect(view.event).not.toBe(first)
    expect(wrapper.get('[data-testid="details-panel"]').text()).toContain('source:')
  })

  it('keeps W, A, S and D on the timeline after a checkbox was clicked', async () => {
    const { wrapper } = await ranLab()
    const pane = wrapper.get('[data-testid="timeline"]')
    const box = wrapper.get('[data-testid="show-idle"]')
    await box.setValue(true)
    const [from, to] = pane.attributes('data-window')!.split(',').map(Number) as [number, number]
    box.element.dispatchEvent(new KeyboardEvent('keydown', { key: 'w', bubbles: true }))
    await nextFrame()
    const [f2, t2] = pane.attributes('data-window')!.split(',').map(Number) as [number, number]
    expect(t2 - f2).toBeLessThan(to - from)
  })

  it('follows an event’s arrow from its sender to its receiver', async () => {
    const { wrapper } = await ranLab()
    const view = useViewStore()
    const withArrow = view.prepared!.events.find((e) => e.toRows.length > 0)!
    view.selectEvent(withArrow.index)
    await nextFrame()
    const link = wrapper.get('[data-testid="jump-receiver"]')
    const receiver = view.prepared!.tracks[withArrow.toRows[0]!]!
    expect(link.attributes('data-track')).toBe(receiver.id)
    await link.trigger('click')
    await nextFrame()
    expect(view.event).toBe(withArrow.index)
    expect(view.selectedRows).toContain(withArrow.toRows[0])
    expect(
      wrapper.get('[data-testid="timeline"]').attributes('data-selected-tracks')!.split(','),
    ).toContain(receiver.id)
  })

  it('highlights a state picked in the legend, and clears it on a second pick', async () => {
    const { wrapper, charts } = await ranLab()
    const view = useViewStore()
    view.highlightState = 'guest'
    await nextFrame()
    expect(wrapper.get('[data-testid="timeline"]').attributes('data-highlight-state')).toBe('guest')
    const last = charts.options.at(-1) as {
      series: { data: unknown[]; renderItem: (p: unknown) => unknown }[]
    }
    const paths = last.series[0]!.data.flatMap(
      (_, i) =>
        (
          last.series[0]!.renderItem({ dataIndex: i }) as {
            children: { type: string; style: { opacity?: number } }[]
          }
        ).children,
    )
    expect(paths.some((c) => c.type === NUMBER_PATH && c.style.opacity !== undefined)).toBe(true)
  })

  it('measures each frame it draws', async () => {
    const { wrapper } = await ranLab()
    const times = wrapper.get('[data-testid="timeline"]').attributes('data-frame-times')!
    expect(times.split(',').length).toBeGreaterThan(0)
  })
})
