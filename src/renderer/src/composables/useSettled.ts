/**
 * A value that follows `source` once it has stopped changing for `ms` milliseconds: a view beside
 * the timeline (the POWER layout's doorbells of the window) redraws once a zoom or pan settles,
 * not on every frame of it, so the timeline keeps the main thread to itself while it moves. When
 * `now` changes (a new run), the value follows at once.
 */
import { onBeforeUnmount, shallowRef, watch, type Ref, type WatchSource } from 'vue'

export function useSettled<T>(
  source: WatchSource<T>,
  ms: number,
  now?: WatchSource<unknown>,
): Readonly<Ref<T>> {
  const read = () => (typeof source === 'function' ? (source as () => T)() : source.value)
  const settled = shallowRef(read()) as Ref<T>
  let timer: ReturnType<typeof setTimeout> | null = null
  const stop = () => {
    if (timer !== null) clearTimeout(timer)
    timer = null
  }
  watch(source, (v) => {
    stop()
    timer = setTimeout(() => {
      timer = null
      settled.value = v
    }, ms)
  })
  if (now) {
    watch(
      now,
      () => {
        stop()
        settled.value = read()
      },
      // After the other watchers of the same change (a new run resets the window in one).
      { flush: 'post' },
    )
  }
  onBeforeUnmount(stop)
  return settled
}
