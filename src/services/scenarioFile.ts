/**
 * Reading a scenario file: an unreadable file or bad JSON is reported with the path and the
 * parser's line and column, like any other scenario problem.
 */
import { promises as fs } from 'node:fs'
import { MAX_SCENARIO_BYTES, parseJsonText, type ReadResult } from '../shared/files/jsonText'

export {
  MAX_SCENARIO_BYTES,
  jsonErrorWhere,
  parseJsonText,
  type ReadResult,
} from '../shared/files/jsonText'

export type TextResult = { ok: true; text: string } | { ok: false; message: string }

/** The file's text, or why it cannot be read (not a file, too large, an errno). */
export async function readScenarioText(path: string): Promise<TextResult> {
  try {
    const stat = await fs.stat(path)
    if (!stat.isFile()) return { ok: false, message: `${path}: not a file` }
    if (stat.size > MAX_SCENARIO_BYTES) {
      return {
        ok: false,
        message: `${path}: ${stat.size} bytes; a scenario file may have at most ${MAX_SCENARIO_BYTES}`,
      }
    }
    return { ok: true, text: await fs.readFile(path, 'utf8') }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return { ok: false, message: `${path}: cannot read the file (${code ?? String(err)})` }
  }
}

export async function readJsonFile(path: string): Promise<ReadResult> {
  const read = await readScenarioText(path)
  return read.ok ? parseJsonText(read.text, path) : read
}
