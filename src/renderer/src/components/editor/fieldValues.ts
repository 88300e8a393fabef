/**
 * How the editor turns what a person types into the value the scenario holds, without judging it:
 * a number that reads as one becomes a number, anything else stays text, so the schema itself
 * says what is wrong ("must be an integer from 1 to 1024 (got "x")"). Empty means "leave it out".
 */
import { formatIntList, parseIntList } from '../../../../shared/lab/scenarioForm'

export function parseNumber(text: string): unknown {
  const t = text.trim()
  if (t === '') return undefined
  return /^-?\d+(\.\d+)?(e\d+)?$/i.test(t) ? Number(t) : t
}

export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return ''
  return typeof v === 'string' ? v : JSON.stringify(v)
}

export function parseText(text: string): unknown {
  return text === '' ? undefined : text
}

export function parseList(text: string): unknown {
  if (text.trim() === '') return undefined
  const r = parseIntList(text)
  return r.ok ? r.value : text
}

export function formatList(v: unknown): string {
  return Array.isArray(v) ? formatIntList(v) : formatValue(v)
}

/** The local complaint about a list's text, before the schema sees it. */
export function listProblem(v: unknown): string | null {
  if (typeof v !== 'string') return null
  const r = parseIntList(v)
  return r.ok ? null : r.message
}

/** `"4"` for the select of a numeric choice back to 4. */
export function choiceValue(options: readonly (string | number)[], raw: string): unknown {
  if (raw === '') return undefined
  return options.find((o) => String(o) === raw) ?? raw
}
