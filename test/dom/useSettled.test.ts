/** useSettled: a view beside the timeline follows a zoom or pan once it settles, a new run at once. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, nextTick, ref } from 'vue'
import { mount } from '@vue/test-utils'
import { useSettled } from '../../src/renderer/src/composables/useSettled'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

function harness() {
  const source = ref(1)
  const run = ref('a')
  let settled!: { value: number }
  mount(
    defineComponent({
      setup() {
        settled = useSettled(source, 150, run)
        return () => null
      },
    }),
  )
  return { source, run, settled }
}

describe('useSettled', () => {
  it('takes the last value 150 ms after the changes stop, none of the ones between', async () => {
    const { source, settled } = harness()
    const seen: number[] = []
    for (let v = 2; v <= 6; v++) {
      source.value = v
      await nextTick()
      vi.advanceTimersByTime(100)
      seen.push(settled.value)
    }
    expect(seen).toEqual([1, 1, 1, 1, 1])
    vi.advanceTimersByTime(49)
    expect(settled.value).toBe(1)
    vi.advanceTimersByTime(1)
    expect(settled.value).toBe(6)
  })

  it('follows at once when the run changes, with the value that run starts from', async () => {
    const { source, run, settled } = harness()
    source.value = 5
    await nextTick()
    run.value = 'b'
    source.value = 9
    await nextTick()
    expect(settled.value).toBe(9)
    vi.advanceTimersByTime(1000)
    expect(settled.value).toBe(9)
  })
})
