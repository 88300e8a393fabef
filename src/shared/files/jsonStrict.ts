/**
 * What JSON.parse accepts without a word but a scenario must not: a key given twice in one object
 * (JSON.parse keeps the last, so the file says two things and the lab would silently pick one),
 * and a number written with a fraction that JSON.parse rounds to an integer
 * (`4294967295.0000001` is read as 4294967295, which an integer field would then accept).
 *
 * The text is walked with jsonc-parser's visitor (the parser VS Code uses), after JSON.parse has
 * accepted it; each problem has its JSON path and its line and column.
 */
import { visit, type JSONPath } from 'jsonc-parser'
import { formatPath } from '../scenario/problems'

export interface TextProblem {
  path: string
  message: string
  line: number
  column: number
}

/** The most problems listed; past that, a count. */
const MAX_LISTED = 20

interface Seen {
  line: number
  column: number
}

/**
 * Texts nested deeper than this are left to the scenario's own check (at most 32 levels, with the
 * path): jsonc-parser's visitor recurses once per level and would overflow the stack on 60,000.
 */
export const MAX_WALKED_DEPTH = 256

export function strictJsonProblems(text: string): { problems: TextProblem[]; more: number } {
  const problems: TextProblem[] = []
  let more = 0
  if (nestsDeeper(text, MAX_WALKED_DEPTH)) return { problems, more }
  const report = (p: TextProblem) => (problems.length < MAX_LISTED ? problems.push(p) : more++)
  const objects: Map<string, Seen>[] = []
  const at = (parent: JSONPath, key: string | number) => formatPath([...parent, key]) || '(top)'
  visit(text, {
    onObjectBegin: () => {
      objects.push(new Map())
    },
    onObjectEnd: () => {
      objects.pop()
    },
    onObjectProperty: (key, _offset, _length, line, character, pathOf) => {
      const keys = objects.at(-1)
      if (!keys) return
      const first = keys.get(key)
      const here = { line: line + 1, column: character + 1 }
      if (!first) {
        keys.set(key, here)
        return
      }
      report({
        path: at(pathOf(), key),
        message:
          `the key "${key}" is given twice in one object (first at line ${first.line}, column ` +
          `${first.column}); JSON readers keep only one of them: remove one`,
        ...here,
      })
    },
    onLiteralValue: (value: unknown, offset, length, line, character, pathOf) => {
      if (typeof value !== 'number' || !Number.isInteger(value)) return
      const literal = text.slice(offset, offset + length)
      if (!/[.eE]/.test(literal) || exactInteger(literal)) return
      const parent = pathOf()
      report({
        path: formatPath(parent) || '(top)',
        message: `${literal} is not an integer, but JSON readers round it to ${value}: write the number you mean`,
        line: line + 1,
        column: character + 1,
      })
    },
  })
  return { problems, more }
}

/** Whether the brackets of JSON `text` (outside its strings) nest deeper than `limit`. */
export function nestsDeeper(text: string, limit: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c)
        i++ // a backslash: the next character is escaped
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return false
}

/** Whether a JSON number literal is an integer in decimal (`2.0`, `1e3`, `120e-1`), exactly. */
export function exactInteger(literal: string): boolean {
  const m = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal)
  if (!m) return false
  const fraction = m[2] ?? ''
  const digits = ((m[1] as string) + fraction).replace(/0+$/, '')
  if (digits.replace(/^0+/, '') === '') return true
  const trailingZeros = (m[1] as string).length + fraction.length - digits.length
  const exponent = Number(m[3] ?? 0) - fraction.length + trailingZeros
  return exponent >= 0
}
