/**
 * The height of the scrolling area an element sits in (the lab's main column, else the window),
 * kept up to date as the window is resized: what a pane may grow to so that it fills the view
 * once scrolled to.
 */
import type { Ref } from 'vue'
import { watchSize } from './useObservedSize'

export function useRoomHeight(el: Ref<HTMLElement | null>, fallback = 700): Ref<number> {
  return watchSize(
    el,
    (node) => {
      const main = node.closest<HTMLElement>('.main')
      return {
        target: main ?? document.documentElement,
        read: () => main?.clientHeight ?? window.innerHeight,
      }
    },
    fallback,
  )
}
