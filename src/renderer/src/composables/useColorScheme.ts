/** Light or dark, following the system; charts take the matching palette. */
import { computed, onScopeDispose, ref } from 'vue'
import { DARK, LIGHT } from '../../../shared/charts/palette'

export function useColorScheme() {
  const query = window.matchMedia?.('(prefers-color-scheme: dark)')
  const dark = ref(query?.matches ?? false)
  const onChange = (e: MediaQueryListEvent) => (dark.value = e.matches)
  query?.addEventListener?.('change', onChange)
  onScopeDispose(() => query?.removeEventListener?.('change', onChange))
  return { dark, palette: computed(() => (dark.value ? DARK : LIGHT)) }
}
