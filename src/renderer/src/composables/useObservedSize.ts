/**
 * A size read from the page and kept up to date: `watchSize(el, …)` picks, once `el` is mounted,
 * the element to observe and how to read the size from it, and measures again whenever that
 * element is resized. A reading of 0 (not laid out yet) keeps the last good one.
 */
import { onBeforeUnmount, ref, watch, type Ref } from 'vue'

export interface Observed {
  /** The element whose resizes are watched. */
  target: HTMLElement
  /** The size now, in CSS pixels. */
  read(): number
}

export function watchSize(
  el: Ref<HTMLElement | null>,
  observe: (node: HTMLElement) => Observed,
  fallback: number,
): Ref<number> {
  const size = ref(fallback)
  let observer: ResizeObserver | null = null
  let read: (() => number) | null = null
  const measure = () => {
    const v = read?.() ?? 0
    if (v > 0) size.value = v
  }
  watch(
    el,
    (node) => {
      observer?.disconnect()
      observer = null
      read = null
      if (!node) return
      const o = observe(node)
      read = o.read
      measure()
      if (typeof ResizeObserver !== 'undefined') {
        observer = new ResizeObserver(measure)
        observer.observe(o.target)
      }
    },
    { flush: 'post', immediate: true },
  )
  onBeforeUnmount(() => observer?.disconnect())
  return size
}
