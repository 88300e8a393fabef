/** The width of an element, kept up to date as the window, the layout or the element changes. */
import { onBeforeUnmount, ref, watch, type Ref } from 'vue'

export function useElementWidth(el: Ref<HTMLElement | null>, fallback = 600): Ref<number> {
  const width = ref(fallback)
  let observer: ResizeObserver | null = null
  const measure = () => {
    const w = el.value?.clientWidth ?? 0
    if (w > 0) width.value = w
  }
  watch(
    el,
    (node) => {
      observer?.disconnect()
      observer = null
      if (!node) return
      measure()
      if (typeof ResizeObserver !== 'undefined') {
        observer = new ResizeObserver(measure)
        observer.observe(node)
      }
    },
    { flush: 'post', immediate: true },
  )
  onBeforeUnmount(() => observer?.disconnect())
  return width
}
