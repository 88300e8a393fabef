/**
 * A run's events as CSV (RFC 4180): a header of every field any event has (`kind` and `at` first,
 * the rest in alphabetical order) and one row per event. Arrays are joined with `;`, objects are
 * JSON, absent fields are empty. The text comes in chunks of about 1 MB (`csvChunks`).
 */
import { inChunks } from '../jsonChunks'
import type { RunResult } from '../result'

/** The CSV as one string (the app's save, which hands over one string). */
export function eventsToCsv(result: RunResult): string {
  return [...csvChunks(result)].join('')
}

/** The CSV text in chunks of about 1 MB. */
export function csvChunks(result: RunResult): Generator<string> {
  return inChunks(csvLines(result))
}

/** The header and a line per event, each ending in CRLF. */
function* csvLines(result: RunResult): Generator<string> {
  const fields = new Set<string>()
  for (const e of result.events) {
    const row = e as unknown as Record<string, unknown>
    for (const k of Object.keys(row)) if (row[k] !== undefined) fields.add(k)
  }
  fields.delete('kind')
  fields.delete('at')
  const header = ['kind', 'at', ...[...fields].sort()]
  yield `${header.map(quote).join(',')}\r\n`
  for (const e of result.events) {
    const row = e as unknown as Record<string, unknown>
    yield `${header.map((h) => quote(cell(row[h]))).join(',')}\r\n`
  }
}

function cell(v: unknown): string {
  if (v === undefined || v === null) return ''
  if (Array.isArray(v))
    return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(';')
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
