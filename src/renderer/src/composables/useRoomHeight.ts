/**
 * The height of the scrolling area an element sits in (the lab's main column, else the window),
 * kept up to date as the window is resized: what a pane may grow to so that it fills the view
 * once scrolled to.
 */
import { onBeforeUnmount, ref, watch, type Ref } from 'vue'

export function useRoomHeight(el: Ref<HTMLElement | null>, fallback = 700): Ref<number> {
  const height = ref(fallback)
  let observer: ResizeObserver | null = null
  let room: HTMLElement | null = null
  const measure = () => {
    const h = room?.clientHeight ?? (typeof window === 'undefined' ? 0 : window.innerHeight)
    if (h > 0) height.value = h
  }
  watch(
    el,
    (node) => {
      observer?.disconnect()
      observer = null
      if (!node) return
      room = node.closest<HTMLElement>('.main') ?? document.documentElement
      measure()
      if (typeof ResizeObserver !== 'undefined') {
        observer = new ResizeObserver(measure)
        observer.observe(room)
      }
    },
    { flush: 'post', immediate: true },
  )
  onBeforeUnmount(() => observer?.disconnect())
  return height
}
