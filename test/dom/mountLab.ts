/**
 * Mounting the lab's components in happy-dom: a fresh Pinia, a fake client, ECharts stubbed
 * (happy-dom has no canvas; the options are tested in test/unit/charts) and the timeline's chart
 * factory replaced by one that records each option it is given.
 */
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { defineComponent, h, type Component } from 'vue'
import { setLabClient } from '../../src/renderer/src/api/labClient'
import { CHART_FACTORY, type ChartHandle } from '../../src/renderer/src/charts'
import { fakeClient, type FakeOptions } from './fakeClient'

/** Stands in for vue-echarts: keeps the option, and lets a test click an item. */
export const ChartStub = defineComponent({
  name: 'VChart',
  props: { option: { type: Object, default: null } },
  emits: ['click'],
  setup(props, { emit, attrs }) {
    return () =>
      h('div', {
        ...attrs,
        class: ['vchart-stub', attrs.class],
        onClickItem: (params: unknown) => emit('click', params),
        'data-has-option': props.option ? 'yes' : 'no',
      })
  },
})

export function recordingCharts() {
  const options: Record<string, unknown>[] = []
  const factory = (): ChartHandle => ({
    setOption: (o) => void options.push(o),
    resize: () => undefined,
    flush: () => undefined,
    dispose: () => undefined,
  })
  return { options, factory }
}

const mounted: { unmount(): void }[] = []
export function unmountAll(): void {
  mounted.splice(0).forEach((w) => w.unmount())
}

export async function mountLab(component: Component, opts: FakeOptions = {}, props = {}) {
  const pinia = createPinia()
  setActivePinia(pinia)
  const fake = fakeClient(opts)
  setLabClient(fake.client)
  const charts = recordingCharts()
  const wrapper = mount(component, {
    props,
    attachTo: document.body,
    global: {
      plugins: [pinia],
      stubs: { VChart: ChartStub, echarts: ChartStub },
      provide: { [CHART_FACTORY as symbol]: charts.factory },
    },
  })
  mounted.push(wrapper)
  await flushPromises()
  return { wrapper, fake, charts, pinia }
}

/** Waits for requestAnimationFrame-scheduled work (the timeline draws on the next frame). */
export async function nextFrame(): Promise<void> {
  await new Promise((r) => setTimeout(r, 30))
  await flushPromises()
}
