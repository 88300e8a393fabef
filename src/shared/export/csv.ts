/**
 * A run's events as CSV (RFC 4180): a header of every field any event has (`kind` and `at` first,
 * the rest in alphabetical order) and one row per event. Arrays are joined with `;`, objects are
 * JSON, absent fields are empty.
 */
import type { RunResult } from '../result'

export function eventsToCsv(result: RunResult): string {
  const fields = new Set<string>()
  for (const e of result.events) {
    const row = e as unknown as Record<string, unknown>
    for (const k of Object.keys(row)) if (row[k] !== undefined) fields.add(k)
  }
  fields.delete('kind')
  fields.delete('at')
  const header = ['kind', 'at', ...[...fields].sort()]
  const lines = [header.map(quote).join(',')]
  for (const e of result.events) {
    const row = e as unknown as Record<string, unknown>
    lines.push(header.map((h) => quote(cell(row[h]))).join(','))
  }
  return lines.join('\r\n') + '\r\n'
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
