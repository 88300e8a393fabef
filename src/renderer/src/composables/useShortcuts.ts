/**
 * The lab's keyboard: one table of shortcuts (the `?` dialog lists it), one window listener.
 * Plain keys (W, A, S, D, ?, …) do nothing while typing in a field; Ctrl chords and Esc always work.
 */
import { onBeforeUnmount, onMounted } from 'vue'

export interface Shortcut {
  /** As a person reads it: `Ctrl+Enter`, `W`, `?`. */
  keys: string
  what: string
  /** Matches a keydown. */
  match(e: KeyboardEvent): boolean
  run(e: KeyboardEvent): void
  /** Where it applies, for the dialog's grouping. */
  group: 'Lab' | 'Timeline'
}

const ctrl = (e: KeyboardEvent) => e.ctrlKey || e.metaKey

/** Ctrl (Cmd on macOS) with `key`; Shift only when asked for, so Ctrl+S is not Ctrl+Shift+S. */
export function chord(key: string, opts: { shift?: boolean } = {}) {
  return (e: KeyboardEvent) =>
    ctrl(e) &&
    !e.altKey &&
    e.shiftKey === (opts.shift ?? false) &&
    e.key.toLowerCase() === key.toLowerCase()
}

export function plain(...keys: string[]) {
  return (e: KeyboardEvent) => !ctrl(e) && !e.altKey && keys.includes(e.key)
}

function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null
  if (!t || !t.tagName) return false
  return /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable
}

export function useShortcuts(table: () => readonly Shortcut[]): void {
  const onKey = (e: KeyboardEvent) => {
    for (const s of table()) {
      if (!s.match(e)) continue
      if (typing(e) && !ctrl(e) && e.key !== 'Escape') return
      e.preventDefault()
      s.run(e)
      return
    }
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
