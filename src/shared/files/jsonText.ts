/**
 * Scenario files as text, wherever they are read: the main process (a file on disk), the page (a
 * dropped file, the browser preview's file chooser). Bad JSON is reported with the parser's message
 * and its line and column, like any other scenario problem.
 */

import { strictJsonProblems } from './jsonStrict'

/** The largest scenario file the lab reads or writes, in bytes (UTF-8). */
export const MAX_SCENARIO_BYTES = 64 * 1024 * 1024

export type ReadResult = { ok: true; document: unknown } | { ok: false; message: string }

/** A UTF-8 byte-order mark, which some editors write at the start of a file. */
const BOM = '\ufeff'

/**
 * A scenario file's text as a document: JSON.parse's, refused when the parser fails (its message,
 * line and column) or when the text says what JSON.parse would silently drop (jsonStrict.ts: a key
 * given twice, a fraction rounded to an integer), one line per problem.
 */
export function parseJsonText(text: string, label: string): ReadResult {
  const read = readJson(text)
  if (read.ok) return read
  const lines = read.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message))
  return { ok: false, message: lines.map((l) => `${label}: ${l}`).join('\n') }
}

export type JsonRead =
  { ok: true; document: unknown } | { ok: false; problems: { path: string; message: string }[] }

/** `parseJsonText` for the page (the editor, a dropped file): the problems with their paths. */
export function readJson(text: string): JsonRead {
  const body = text.startsWith(BOM) ? text.slice(1) : text
  let document: unknown
  try {
    document = JSON.parse(body) as unknown
  } catch (err) {
    return {
      ok: false,
      problems: [{ path: '', message: `not valid JSON: ${jsonErrorWhere(body, err)}` }],
    }
  }
  const strict = strictJsonProblems(body)
  if (strict.problems.length === 0) return { ok: true, document }
  const problems = strict.problems.map((p) => ({
    path: p.path,
    message: `${p.message} (line ${p.line}, column ${p.column})`,
  }))
  if (strict.more > 0) problems.push({ path: '', message: `… and ${strict.more} more` })
  return { ok: false, problems }
}

/**
 * The parser's message with the position turned into a line and column (V8 names no position for
 * an unexpected token, "Unexpected token '}', ... is not valid JSON": then the lab finds it; the
 * end of the text for "Unexpected end of JSON input"), its control characters escaped
 * so a file's bytes never reach a terminal raw.
 */
export function jsonErrorWhere(text: string, err: unknown): string {
  const message = escapeControls(err instanceof Error ? err.message : String(err))
  const m = /position (\d+)/.exec(message)
  const pos = m ? Number(m[1]) : (jsonErrorOffset(text) ?? text.length)
  const before = text.slice(0, pos)
  const line = before.split('\n').length
  const column = pos - before.lastIndexOf('\n')
  return `${message.replace(/\s*\(line \d+ column \d+\)/, '')} (line ${line}, column ${column})`
}

/**
 * Where `text` stops being JSON: the offset of the first character a JSON parser would refuse (the
 * text's length when it ends too soon), or null when it parses. A plain recursive-descent scan.
 */
export function jsonErrorOffset(text: string): number | null {
  let i = 0
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++
  }
  const fail = (): never => {
    throw i
  }
  const word = (w: string) => {
    if (text.startsWith(w, i)) i += w.length
    else fail()
  }
  const string = () => {
    i++
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail()
      if (text[i] === '\\') {
        i++
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail()
          i += 4
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail()
      }
      i++
    }
    if (i >= text.length) fail()
    i++
  }
  const value = (): void => {
    ws()
    const c = text[i]
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']'
      i++
      ws()
      if (text[i] === close) return void i++
      for (;;) {
        if (close === '}') {
          ws()
          if (text[i] !== '"') fail()
          string()
          ws()
          if (text[i] !== ':') fail()
          i++
        }
        value()
        ws()
        if (text[i] === ',') i++
        else if (text[i] === close) return void i++
        else fail()
      }
    }
    if (c === '"') return string()
    if (c === 't') return word('true')
    if (c === 'f') return word('false')
    if (c === 'n') return word('null')
    const num = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))
    if (!num) fail()
    i += (num as RegExpExecArray)[0].length
  }
  try {
    value()
    ws()
    if (i < text.length) fail()
    return null
  } catch (at) {
    return typeof at === 'number' ? at : null
  }
}

/** The control characters, found to be escaped. */
// eslint-disable-next-line no-control-regex -- the point is to escape them
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g

/** Control characters (but none of the printable ones) as \\uXXXX. */
function escapeControls(s: string): string {
  return s.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** The length of `text` in UTF-8 bytes, without a TextEncoder (this folder runs everywhere). */
export function utf8Length(text: string): number {
  // eslint-disable-next-line no-control-regex -- ASCII, control characters included
  if (/^[\x00-\x7f]*$/.test(text)) return text.length
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4
      i++
    } else n += 3
  }
  return n
}
