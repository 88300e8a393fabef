// @vitest-environment happy-dom
/** Which focused elements take typed text: there W, A, S, D are letters, elsewhere shortcuts. */
import { describe, expect, it } from 'vitest'
import { typingIn } from '../../src/renderer/src/composables/useShortcuts'

const el = (tagName: string, extra: Record<string, unknown> = {}) =>
  ({ tagName, isContentEditable: false, ...extra }) as unknown as EventTarget

describe('typingIn', () => {
  it('is true in a text field, a number field, a textarea and contenteditable', () => {
    expect(typingIn(el('INPUT', { type: 'text' }))).toBe(true)
    expect(typingIn(el('INPUT', { type: 'number' }))).toBe(true)
    expect(typingIn(el('INPUT', { type: 'search' }))).toBe(true)
    expect(typingIn(el('INPUT', { type: '' }))).toBe(true)
    expect(typingIn(el('TEXTAREA'))).toBe(true)
    expect(typingIn(el('DIV', { isContentEditable: true }))).toBe(true)
  })

  it('is false on a checkbox, a radio, a button, a range, a select and the page', () => {
    for (const type of ['checkbox', 'radio', 'button', 'range', 'submit'])
      expect(typingIn(el('INPUT', { type })), type).toBe(false)
    expect(typingIn(el('SELECT'))).toBe(false)
    expect(typingIn(el('BUTTON'))).toBe(false)
    expect(typingIn(el('BODY'))).toBe(false)
    expect(typingIn(null)).toBe(false)
  })
})
