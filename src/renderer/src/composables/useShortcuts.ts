/**
 * The lab's keyboard: one table of shortcuts (the `?` dialog lists it), one window listener.
 * Plain keys (W, A, S, D, ?, …) do nothing while typing in a text field; Ctrl chords and Esc always
 * work. A checkbox, a button, a select or a range slider is not a text field: after clicking one,
 * W/S/A/D still drive the timeline.
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

/** Input types that take no typed text: a key pressed on one of them is a shortcut. */
const NOT_TEXT = new Set([
  'checkbox',
  'radio',
  'button',
  'submit',
  'reset',
  'range',
  'color',
  'file',
  'image',
])

/** Focus is in a field that takes typed text (a text-like input, a textarea, contenteditable). */
export function typingIn(target: EventTarget | null): boolean {
  const t = target as HTMLElement | null
  if (!t || !t.tagName) return false
  if (t.tagName === 'TEXTAREA' || t.isContentEditable) return true
  if (t.tagName !== 'INPUT') return false
  return !NOT_TEXT.has(((t as HTMLInputElement).type || 'text').toLowerCase())
}

export function useShortcuts(table: () => readonly Shortcut[]): void {
  const onKey = (e: KeyboardEvent) => {
    for (const s of table()) {
      if (!s.match(e)) continue
      if (typingIn(e.target) && !ctrl(e) && e.key !== 'Escape') return
      e.preventDefault()
      s.run(e)
      return
    }
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
