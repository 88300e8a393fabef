/**
 * Reading a scenario file: an unreadable file or bad JSON is reported with the path and the
 * parser's line and column, like any other scenario problem.
 */
import { promises as fs } from 'node:fs'

export type ReadResult = { ok: true; document: unknown } | { ok: false; message: string }

export const MAX_SCENARIO_BYTES = 64 * 1024 * 1024

export async function readJsonFile(path: string): Promise<ReadResult> {
  let text: string
  try {
    const stat = await fs.stat(path)
    if (!stat.isFile()) return { ok: false, message: `${path}: not a file` }
    if (stat.size > MAX_SCENARIO_BYTES) {
      return {
        ok: false,
        message: `${path}: ${stat.size} bytes; a scenario file may have at most ${MAX_SCENARIO_BYTES}`,
      }
    }
    text = await fs.readFile(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return { ok: false, message: `${path}: cannot read the file (${code ?? String(err)})` }
  }
  return parseJsonText(text, path)
}

export function parseJsonText(text: string, label: string): ReadResult {
  try {
    return { ok: true, document: JSON.parse(text) as unknown }
  } catch (err) {
    return { ok: false, message: `${label}: not valid JSON: ${jsonErrorWhere(text, err)}` }
  }
}

/** The parser's message with the position turned into a line and column. */
export function jsonErrorWhere(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  const m = /position (\d+)/.exec(message)
  if (!m) return message
  const pos = Number(m[1])
  const before = text.slice(0, pos)
  const line = before.split('\n').length
  const column = pos - before.lastIndexOf('\n')
  return `${message.replace(/\s*\(line \d+ column \d+\)/, '')} (line ${line}, column ${column})`
}
