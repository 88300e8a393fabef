/**
 * Problems with a scenario, each naming its JSON path and what is allowed:
 * `guest.maxVcpus: must be an integer from 1 to 4096 (got 0)`.
 */
import type { z } from 'zod'
import { quoteAll } from './fields'

export interface Problem {
  /** JSON path in dotted form with indices in brackets: `workload.steps[2].at`; `""` is the root. */
  path: string
  /** What is wrong and what is allowed, ending with what was found when there was a value. */
  message: string
}

export type PathSegment = string | number

/** A key written as it is when it is a plain name; else quoted as JSON (control characters escaped). */
const PLAIN_KEY = /^[A-Za-z_$][\w$-]{0,63}$/

export function formatPath(path: readonly PathSegment[]): string {
  let out = ''
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`
    else if (!PLAIN_KEY.test(seg)) out += `[${quotedKey(seg)}]`
    else out += out === '' ? seg : `.${seg}`
  }
  return out
}

/** A key as a JSON string, cut to 40 characters: a file's odd keys never reach a terminal raw. */
function quotedKey(key: string): string {
  return escapeOdd(JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key))
}

/**
 * JSON text with what JSON.stringify leaves raw escaped too: DEL, the C1 controls (U+0080–U+009F:
 * U+009B is a terminal's CSI) and U+2028/2029.
 */
function escapeOdd(json: string): string {
  return json.replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/** The value found at `path` in `input`, or undefined when the path does not exist. */
export function valueAt(input: unknown, path: readonly PathSegment[]): unknown {
  let cur: unknown = input
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string | number, unknown>)[seg]
  }
  return cur
}

/**
 * A short, single-line rendering of a found value for a message: the start of its JSON, and for a
 * long array its length. Never more of the value is read than the message shows, so a problem
 * with a million-element array costs nothing (it used to stringify the whole of it).
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  const parts: string[] = []
  let size = 0
  const put = (t: string) => {
    parts.push(t)
    size += t.length
    return size <= 60
  }
  shortJson(value, put)
  const s = escapeOdd(parts.join(''))
  const cut = s.length > 60 ? `${s.slice(0, 57)}...` : s
  return Array.isArray(value) && value.length > 8
    ? `${cut} (${value.length.toLocaleString('en-US')} items)`
    : cut
}

/** JSON of `v` through `put`, stopping as soon as `put` says it has enough (false). */
function shortJson(v: unknown, put: (t: string) => boolean): boolean {
  if (Array.isArray(v)) {
    if (!put('[')) return false
    for (let i = 0; i < v.length; i++) {
      if (i > 0 && !put(',')) return false
      if (!shortJson(v[i] ?? null, put)) return false
    }
    return put(']')
  }
  if (typeof v === 'object' && v !== null) {
    if (!put('{')) return false
    let first = true
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) continue
      if (!put(`${first ? '' : ','}${JSON.stringify(k)}:`)) return false
      first = false
      if (!shortJson(x, put)) return false
    }
    return put('}')
  }
  let t: string | undefined
  try {
    t = JSON.stringify(typeof v === 'string' && v.length > 80 ? v.slice(0, 80) : v)
  } catch {
    t = undefined
  }
  return put(t ?? String(v))
}

/** `path: message (got value)`: the one-line form used on stderr and beside form fields. */
export function problemLine(p: Problem): string {
  return p.path === '' ? p.message : `${p.path}: ${p.message}`
}

/** A problem at `path`; when `input` has a value there, the message ends with what was found. */
export function problem(path: readonly PathSegment[], message: string, input?: unknown): Problem {
  const found = input === undefined ? undefined : valueAt(input, path)
  const got = found === undefined ? '' : ` (got ${describeValue(found)})`
  return { path: formatPath(path), message: message + got }
}

/** Turns zod's issues into problems; `input` is the original document, to quote what was found. */
export function problemsFromZod(issues: readonly z.core.$ZodIssue[], input: unknown): Problem[] {
  const out: Problem[] = []
  for (const issue of issues) {
    const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol')
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ path: formatPath([...path, key]), message: `unknown field; ${issue.message}` })
      }
      continue
    }
    if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options)) {
      const options = issue.options as (string | number)[]
      out.push(withFound(path, `must be one of ${quoteAll(options)}`, input))
      continue
    }
    out.push(withFound(path, readable(issue), input))
  }
  return dedupe(out)
}

function withFound(path: PathSegment[], message: string, input: unknown): Problem {
  const found = valueAt(input, path)
  if (found === undefined) return { path: formatPath(path), message: `is required; ${message}` }
  return { path: formatPath(path), message: `${message} (got ${describeValue(found)})` }
}

/** zod's own default texts start with "Invalid input"; give those a plainer wording. */
function readable(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
    return `must be ${article(issue.expected)}`
  }
  return issue.message
}

function article(expected: string): string {
  switch (expected) {
    case 'object':
      return 'an object'
    case 'array':
      return 'an array'
    case 'int':
      return 'an integer'
    default:
      return `a ${expected}`
  }
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>()
  return problems.filter((p) => {
    const key = problemLine(p)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
