/**
 * Scenario files as text, wherever they are read: the main process (a file on disk), the page (a
 * dropped file, the browser preview's file chooser). Bad JSON is reported with the parser's message
 * and its line and column, like any other scenario problem.
 */

/** The largest scenario file the lab reads or writes, in bytes (UTF-8). */
export const MAX_SCENARIO_BYTES = 64 * 1024 * 1024

export type ReadResult = { ok: true; document: unknown } | { ok: false; message: string }

export function parseJsonText(text: string, label: string): ReadResult {
  try {
    return { ok: true, document: JSON.parse(text) as unknown }
  } catch (err) {
    return { ok: false, message: `${label}: not valid JSON: ${jsonErrorWhere(text, err)}` }
  }
}

/**
 * The parser's message with the position turned into a line and column. V8 names no position for
 * an unexpected token ("Unexpected token '}', ... is not valid JSON"): then the lab finds it.
 */
export function jsonErrorWhere(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  const m = /position (\d+)/.exec(message)
  const pos = m ? Number(m[1]) : jsonErrorOffset(text)
  if (pos === null) return message
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
