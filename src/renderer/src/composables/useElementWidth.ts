/** The width of an element, kept up to date as the window, the layout or the element changes. */
import type { Ref } from 'vue'
import { watchSize } from './useObservedSize'

export function useElementWidth(el: Ref<HTMLElement | null>, fallback = 600): Ref<number> {
  return watchSize(el, (node) => ({ target: node, read: () => node.clientWidth }), fallback)
}
