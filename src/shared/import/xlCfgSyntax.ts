/**
 * The syntax of an xl domain configuration file, as xl.cfg(5) gives it and libxlu's lexer reads
 * it: `KEY=VALUE` settings separated by newlines or semicolons, `#` comments, and values that
 * are a quoted string (single or double quotes, C escapes), a number (decimal, octal with a
 * leading 0, hexadecimal with 0x) or a list `[ VALUE, VALUE, ... ]` (nested lists allowed, a
 * trailing comma too, newlines inside). `KEY+=VALUE` appends to a string or a list.
 * Every error names its line and column.
 */
import type { ImportProblem } from './types'

export type XlValue =
  | { kind: 'atom'; text: string; quoted: boolean; line: number; column: number }
  | { kind: 'list'; items: XlValue[]; line: number; column: number }

export interface XlSetting {
  key: string
  value: XlValue
  line: number
  column: number
}

export type XlParse = { ok: true; settings: XlSetting[] } | { ok: false; problems: ImportProblem[] }

type Token =
  | { t: 'ident' | 'number' | 'string'; text: string; line: number; column: number }
  | { t: '=' | '+=' | '[' | ']' | ',' | 'end'; text: string; line: number; column: number }

class XlSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(message)
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
}

/** Splits the text into tokens; newlines and `;` become `end`. */
function tokens(text: string): Token[] {
  const out: Token[] = []
  let i = 0
  let line = 1
  let col = 1
  const at = () => ({ line, column: col })
  const step = (n = 1) => {
    for (let k = 0; k < n; k++) {
      if (text[i] === '\n') {
        line++
        col = 1
      } else col++
      i++
    }
  }
  while (i < text.length) {
    const c = text[i]!
    if (c === '\n' || c === ';') {
      out.push({ t: 'end', text: c === '\n' ? 'end of line' : ';', ...at() })
      step()
    } else if (c === ' ' || c === '\t' || c === '\r') step()
    else if (c === '#') while (i < text.length && text[i] !== '\n') step()
    else if (c === '"' || c === "'") out.push(quoted(c))
    else if (c === '+' && text[i + 1] === '=') {
      out.push({ t: '+=', text: '+=', ...at() })
      step(2)
    } else if ('=[],'.includes(c)) {
      out.push({ t: c as '=' | '[' | ']' | ',', text: c, ...at() })
      step()
    } else if (/[A-Za-z_]/.test(c)) out.push(word('ident', /[A-Za-z0-9_.]/))
    else if (/[0-9]/.test(c)) out.push(word('number', /[0-9A-Za-z_.]/))
    else throw new XlSyntaxError(line, col, `unexpected character "${c}"`)
  }
  out.push({ t: 'end', text: 'end of file', ...at() })
  return out

  function word(t: 'ident' | 'number', more: RegExp): Token {
    const start = at()
    const from = i
    while (i < text.length && more.test(text[i]!)) step()
    return { t, text: text.slice(from, i), ...start }
  }

  function quoted(q: string): Token {
    const start = at()
    step()
    let s = ''
    for (;;) {
      if (i >= text.length || text[i] === '\n') {
        throw new XlSyntaxError(
          start.line,
          start.column,
          `string not closed: a ${q} before the end of the line`,
        )
      }
      const c = text[i]!
      if (c === q) {
        step()
        return { t: 'string', text: s, ...start }
      }
      if (c !== '\\') {
        s += c
        step()
        continue
      }
      const n = text[i + 1] ?? ''
      if (ESCAPES[n] !== undefined) {
        s += ESCAPES[n]
        step(2)
      } else if (n === 'x' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 2, i + 4))) {
        s += String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16))
        step(4)
      } else if (/[0-7]/.test(n)) {
        const m = /^[0-7]{1,3}/.exec(text.slice(i + 1))![0]
        s += String.fromCharCode(parseInt(m, 8))
        step(1 + m.length)
      } else {
        throw new XlSyntaxError(line, col, `invalid escape "\\${n}" in a quoted string`)
      }
    }
  }
}

function describe(tok: Token): string {
  return tok.t === 'end' ? tok.text : tok.t === 'string' ? `"${tok.text}"` : `"${tok.text}"`
}

/** The tokens of an xl.cfg read left to right, with the grammar of a value. */
class Cursor {
  private k = 0
  constructor(private readonly toks: Token[]) {}

  get done(): boolean {
    return this.k >= this.toks.length
  }
  peek(): Token {
    return this.toks[this.k]!
  }
  next(): Token {
    return this.toks[this.k++]!
  }
  /** Past the rest of a line, after a problem in it. */
  skipLine(): void {
    while (!this.done && this.peek().t !== 'end') this.next()
  }

  value(): XlValue {
    const tok = this.next()
    if (tok.t === 'string' || tok.t === 'number') {
      return {
        kind: 'atom',
        text: tok.text,
        quoted: tok.t === 'string',
        line: tok.line,
        column: tok.column,
      }
    }
    if (tok.t === '[') return this.list(tok)
    throw new XlSyntaxError(
      tok.line,
      tok.column,
      `expected a value (a quoted string, a number or a [ list ]) but found ${describe(tok)}`,
    )
  }

  private skipNewlines(): void {
    while (this.peek().t === 'end' && this.peek().text === 'end of line') this.next()
  }

  private list(open: Token): XlValue {
    const items: XlValue[] = []
    for (;;) {
      this.skipNewlines()
      if (this.peek().t === ']') {
        this.next()
        return { kind: 'list', items, line: open.line, column: open.column }
      }
      items.push(this.value())
      this.skipNewlines()
      const sep = this.next()
      if (sep.t === ']') return { kind: 'list', items, line: open.line, column: open.column }
      if (sep.t !== ',') {
        throw new XlSyntaxError(
          sep.line,
          sep.column,
          `expected "," or "]" in the list opened at line ${open.line}, column ${open.column}, but found ${describe(sep)}`,
        )
      }
    }
  }

  /** One KEY = VALUE (or KEY += VALUE) line, its name token `tok` already read. */
  setting(tok: Token): { setting: XlSetting; append: boolean } {
    if (tok.t !== 'ident') {
      throw new XlSyntaxError(
        tok.line,
        tok.column,
        `expected an option name (KEY=VALUE) but found ${describe(tok)}`,
      )
    }
    const op = this.next()
    if (op.t !== '=' && op.t !== '+=') {
      throw new XlSyntaxError(
        op.line,
        op.column,
        `expected "=" after "${tok.text}" but found ${describe(op)}`,
      )
    }
    const value = this.value()
    const end = this.next()
    if (end.t !== 'end') {
      throw new XlSyntaxError(
        end.line,
        end.column,
        `expected the end of the line or ";" after the value of "${tok.text}" but found ${describe(end)}`,
      )
    }
    return {
      setting: { key: tok.text, value, line: tok.line, column: tok.column },
      append: op.t === '+=',
    }
  }
}

/** Reads the settings of an xl.cfg, in file order; `+=` is resolved into its setting. */
export function parseXlCfg(text: string): XlParse {
  let toks: Token[]
  try {
    toks = tokens(text)
  } catch (e) {
    if (e instanceof XlSyntaxError) return { ok: false, problems: [where(e)] }
    throw e
  }
  const problems: ImportProblem[] = []
  const settings: XlSetting[] = []
  const c = new Cursor(toks)
  while (!c.done) {
    const tok = c.next()
    if (tok.t === 'end') continue
    try {
      const { setting, append } = c.setting(tok)
      store(settings, problems, setting, append)
    } catch (e) {
      if (!(e instanceof XlSyntaxError)) throw e
      problems.push(where(e))
      c.skipLine()
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, settings }
}

/** A setting kept: a new key added, `+=` appended to the one before, a key set twice refused. */
function store(
  settings: XlSetting[],
  problems: ImportProblem[],
  s: XlSetting,
  append: boolean,
): void {
  const before = settings.find((o) => o.key === s.key)
  if (!before) {
    settings.push(s)
  } else if (!append) {
    problems.push({
      where: `line ${s.line}, column ${s.column}: ${s.key}`,
      message: `set twice (first at line ${before.line}); give it once`,
    })
  } else if (before.value.kind === 'list' && s.value.kind === 'list') {
    before.value.items.push(...s.value.items)
  } else if (before.value.kind === 'atom' && s.value.kind === 'atom') {
    before.value.text += s.value.text
  } else {
    problems.push({
      where: `line ${s.line}, column ${s.column}: ${s.key}`,
      message: `"+=" appends a list to a list or a string to a string; line ${before.line} set a ${before.value.kind === 'list' ? 'list' : 'string'}`,
    })
  }
}

function where(e: XlSyntaxError): ImportProblem {
  return { where: `line ${e.line}, column ${e.column}`, message: e.message }
}

/**
 * A number as libxlu reads one (strtol with base 0: decimal, octal after a leading 0, hex after
 * 0x), from an atom quoted or not; null when it is not one.
 */
export function xlNumber(text: string): number | null {
  const t = text.trim()
  if (/^0[xX][0-9A-Fa-f]+$/.test(t)) return parseInt(t.slice(2), 16)
  if (/^0[0-7]+$/.test(t)) return parseInt(t.slice(1), 8)
  if (/^(0|[1-9][0-9]*)$/.test(t)) return Number(t)
  return null
}
