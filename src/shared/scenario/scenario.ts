/**
 * The scenario file (docs/scenario.md): the common part, then one engine's part. `parseScenario` is the
 * one entry point every boundary uses (CLI, IPC, HTTP host, editor): it reports every problem with
 * its JSON path and what is allowed, and returns the scenario with every default filled in.
 */
import { z } from 'zod'
import {
  BOOK3S_DESIGNS,
  book3sSchema,
  normalizeBook3s,
  type Book3sScenario,
} from './book3sScenario'
import { intIn, nonEmptyText, oneOf, text } from './fields'
import { formatPath, problemsFromZod, type PathSegment, type Problem } from './problems'
import { XEN_DESIGNS, normalizeXen, xenSchema, type XenScenario } from './xenScenario'

export const SCHEMA_VERSION = 1
export const ENGINES = ['book3s', 'xen'] as const
export type Engine = (typeof ENGINES)[number]

export type Scenario = Book3sScenario | XenScenario

export const DESIGNS: Readonly<Record<Engine, readonly string[]>> = {
  book3s: BOOK3S_DESIGNS,
  xen: XEN_DESIGNS,
}

/** Where each engine keeps its design in the file. */
export const DESIGN_FIELD: Readonly<Record<Engine, readonly [string, string]>> = {
  book3s: ['kvm', 'design'],
  xen: ['linux', 'design'],
}

const common = z.looseObject({
  schemaVersion: z.unknown().superRefine((v, ctx) => {
    if (v === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be ${SCHEMA_VERSION}` })
    } else if (v !== SCHEMA_VERSION) {
      ctx.addIssue({
        code: 'custom',
        message: `must be ${SCHEMA_VERSION}: this lab reads scenario schema version ${SCHEMA_VERSION} only`,
      })
    }
  }),
  name: nonEmptyText(200),
  description: text(4000).default(''),
  engine: oneOf(ENGINES),
  seed: intIn(0, 2 ** 32 - 1).default(1),
})

/** Checked by `common`; the engine schemas accept them as known fields and leave them alone. */
const COMMON_FIELDS = ['schemaVersion', 'name', 'description', 'engine', 'seed'] as const

export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; problems: Problem[] }

export function parseScenario(input: unknown): ParseResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return {
      ok: false,
      problems: [{ path: '', message: 'a scenario must be a JSON object' }],
    }
  }
  const tooDeep = depthProblem(input)
  if (tooDeep) return { ok: false, problems: [tooDeep] }
  const parsed = parseObject(input as Record<string, unknown>)
  return parsed.ok ? parsed : { ok: false, problems: capProblems(parsed.problems) }
}

/** The deepest a scenario nests: its deepest fields are a few levels down (workload.random.rates.x). */
export const MAX_DEPTH = 32
/** The most problems a parse reports; the rest are counted in a last line. */
export const MAX_PROBLEMS = 200

/**
 * The first place `input` nests deeper than MAX_DEPTH, as a problem (iterative: a document nested
 * a hundred thousand deep must not overflow the stack that checks it).
 */
function depthProblem(input: object): Problem | null {
  const stack: [unknown, PathSegment[]][] = [[input, []]]
  while (stack.length > 0) {
    const [v, path] = stack.pop() as [unknown, PathSegment[]]
    if (v === null || typeof v !== 'object') continue
    if (path.length >= MAX_DEPTH) {
      return {
        path: formatPath(path.slice(0, MAX_DEPTH)),
        message: `nests deeper than ${MAX_DEPTH} levels; a scenario's fields are at most a few levels deep`,
      }
    }
    if (Array.isArray(v)) v.forEach((x, i) => stack.push([x, [...path, i]]))
    else for (const [k, x] of Object.entries(v)) stack.push([x, [...path, k]])
  }
  return null
}

/** At most MAX_PROBLEMS problems, then one line saying how many more there were. */
function capProblems(problems: Problem[]): Problem[] {
  if (problems.length <= MAX_PROBLEMS) return problems
  const more = problems.length - MAX_PROBLEMS
  return [
    ...problems.slice(0, MAX_PROBLEMS),
    {
      path: '',
      message: `and ${more} more problem${more === 1 ? '' : 's'} (the first ${MAX_PROBLEMS} are listed)`,
    },
  ]
}

function parseObject(input: Record<string, unknown>): ParseResult {
  const head = common.safeParse(input)
  const problems: Problem[] = head.success ? [] : problemsFromZod(head.error.issues, input)
  const engine = (input as Record<string, unknown>).engine
  if (engine !== 'book3s' && engine !== 'xen') return { ok: false, problems }

  const schema = engine === 'book3s' ? book3sSchema : xenSchema
  const body = schema.safeParse(input)
  if (!body.success) {
    // A loop, not a spread: a million-step workload can have a million problems.
    for (const p of problemsFromZod(body.error.issues, input))
      if (!isCommon(p.path)) problems.push(p)
    return { ok: false, problems }
  }
  if (!head.success) return { ok: false, problems }

  const c = {
    schemaVersion: SCHEMA_VERSION as 1,
    name: head.data.name,
    description: head.data.description,
    seed: head.data.seed,
  }
  const normalized =
    engine === 'book3s'
      ? normalizeBook3s(body.data as z.infer<typeof book3sSchema>, c, input)
      : normalizeXen(body.data as z.infer<typeof xenSchema>, c, input)
  if (normalized.problems.length > 0) return { ok: false, problems: normalized.problems }
  return { ok: true, scenario: normalized.scenario }
}

function isCommon(path: string): boolean {
  return (COMMON_FIELDS as readonly string[]).includes(path)
}

/** Where each engine keeps the release its design runs on (`--design NAME@RELEASE`). */
const RELEASE_FIELD = { book3s: ['kvm', 'kernel'], xen: ['linux', 'era'] } as const

/**
 * The scenario with its design replaced (the CLI's `--design`, the compare view). `name@release`
 * also sets the release the design runs on: `kvm.kernel` for book3s (`dynamic-micro-threading@4.9`),
 * `linux.era` for xen. Both are checked by `parseScenario` afterwards like any other field.
 */
export function withDesign(input: unknown, design: string): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input
  const engine = (input as Record<string, unknown>).engine
  if (engine !== 'book3s' && engine !== 'xen') return input
  const at = design.indexOf('@')
  const name = at < 0 ? design : design.slice(0, at)
  const copy = setField(input as Record<string, unknown>, DESIGN_FIELD[engine], name)
  return at < 0 ? copy : setField(copy, RELEASE_FIELD[engine], design.slice(at + 1))
}

function setField(
  doc: Record<string, unknown>,
  [section, field]: readonly [string, string],
  value: string,
): Record<string, unknown> {
  const copy = { ...doc }
  const inner = copy[section]
  copy[section] = {
    ...(inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? inner : {}),
    [field]: value,
  }
  return copy
}

export function designOf(s: Scenario): string {
  return s.engine === 'book3s' ? s.kvm.design : s.linux.design
}
