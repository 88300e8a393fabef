/**
 * Field builders for the scenario schema. Each builder carries one message that says what is
 * allowed, so every problem a person sees reads "<path>: must be ... (got ...)" whatever check
 * failed (type, integer, lower or upper bound).
 */
import { z } from 'zod'

/** The most steps a workload lists (either engine); the record bound usually binds first. */
export const MAX_STEPS = 1_000_000

/** An integer in [lo, hi]. */
export function intIn(lo: number, hi: number) {
  const error = `must be an integer from ${lo} to ${hi}`
  return z.number({ error }).int({ error }).min(lo, { error }).max(hi, { error })
}

/** One of a fixed list of strings (or numbers), reported as `must be one of "a", "b"`. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${quoteAll(values)}` })
}

/** One of a fixed list of integers. */
export function oneOfInts<const T extends readonly [number, ...number[]]>(values: T) {
  const error = `must be one of ${values.join(', ')}`
  const literals = values.map((v) => z.literal(v)) as unknown as [
    z.ZodLiteral<T[number]>,
    ...z.ZodLiteral<T[number]>[],
  ]
  return z.union(literals, { error })
}

/**
 * C0 control characters but tab and newline, DEL and the C1 controls: they break SVG (XML 1.0 has
 * no place for most of them) and terminals, and no scenario text needs them.
 */
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

const noControl = {
  error: 'must not contain control characters (only tab and newline are allowed)',
}

export function text(max: number) {
  const error = `must be a string of at most ${max} characters`
  return z
    .string({ error })
    .max(max, { error })
    .refine((s) => !CONTROL.test(s), noControl)
}

export function nonEmptyText(max: number) {
  const error = `must be a non-empty string of at most ${max} characters`
  return z
    .string({ error })
    .min(1, { error })
    .max(max, { error })
    .refine((s) => !CONTROL.test(s), noControl)
}

export function bool() {
  return z.boolean({ error: 'must be true or false' })
}

/**
 * A closed object: an unknown field is a problem that names the fields that are allowed, because
 * a misspelt field silently ignored is the worst kind of scenario bug.
 */
export function closed<S extends z.ZodRawShape>(shape: S) {
  const allowed = Object.keys(shape).join(', ')
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return `allowed fields here: ${allowed}`
      if (issue.code === 'invalid_type') return `must be an object with fields ${allowed}`
      return undefined
    },
  })
}

export function quoteAll(values: readonly (string | number)[]): string {
  return values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ')
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0
}
