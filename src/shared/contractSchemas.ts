/**
 * Checks for every request that crosses a boundary (IPC, HTTP). Kept apart from contract.ts so the
 * sandboxed preload, which only needs channel names, does not bundle a validation library.
 *
 * File methods carry no path, only opaque handles (`fileId`, `recentId`) the main process issued
 * and a suggested file name (one path component, with the format's extension); their text and
 * bytes are capped: a scenario at MAX_SCENARIO_BYTES, an export at MAX_EXPORT_BYTES.
 */
import { z } from 'zod'
import {
  ENGINE_METHODS,
  EXPORT_EXTENSIONS,
  EXPORT_FORMATS,
  fail,
  ok,
  type EngineMethods,
  type LabMethod,
  type Outcome,
  type RequestOf,
} from './contract'
import { isSafeFileName } from './files/fileNames'
import { MAX_SCENARIO_BYTES, utf8Length } from './files/jsonText'
import { formatPath, problemsFromZod, problemLine, type PathSegment } from './scenario/problems'

/**
 * The largest export (an image, a trace, a report) the page may hand over, in bytes. The trace of
 * a 200,000-span run is 59 MB; one IPC message must stay well under Chromium's 256 MB.
 */
export const MAX_EXPORT_BYTES = 128 * 1024 * 1024

/** How many bytes an export's data stands for: base64 decoded, or UTF-8 text. */
export function exportBytes(data: string, encoding: 'utf8' | 'base64'): number {
  if (encoding === 'base64') {
    const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0
    return Math.floor((data.length * 3) / 4) - padding
  }
  return data.length * 3 <= MAX_EXPORT_BYTES || data.length > MAX_EXPORT_BYTES
    ? data.length
    : utf8Length(data)
}

const empty = z.strictObject({}).default({})

const runId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be 1 to 64 letters, digits, _ or -' })

/** A handle main issued for a path (32 hex digits). */
const handle = z.string().regex(/^[0-9a-f]{32}$/, { error: 'must be a handle the app issued' })

/** Issues about a value too large to quote back (the message says what is allowed). */
const UNQUOTED = { unquoted: true }

/** At most `max` bytes of UTF-8 (cheap when the text is clearly short or clearly too long). */
const textUpTo = (max: number, what: string) =>
  z.string().refine((s) => s.length * 3 <= max || (s.length <= max && utf8Length(s) <= max), {
    error: `must be at most ${max} bytes of ${what}`,
    params: UNQUOTED,
  })

const fileName = (extension: string) =>
  z
    .string()
    .refine(isSafeFileName, {
      error: 'must be a file name (no folder, no / \\ : * ? " < > |, not starting with a dot)',
    })
    .refine((n) => n.toLowerCase().endsWith(`.${extension}`), {
      error: `must end with .${extension}`,
    })

const scenarioText = textUpTo(MAX_SCENARIO_BYTES, 'scenario text')

const saveExport = z
  .strictObject({
    format: z.enum(EXPORT_FORMATS),
    suggestedName: z.string(),
    data: z.string(),
    encoding: z.enum(['utf8', 'base64']),
  })
  .superRefine((req, ctx) => {
    const named = fileName(EXPORT_EXTENSIONS[req.format]).safeParse(req.suggestedName)
    if (!named.success) {
      for (const issue of named.error.issues)
        ctx.addIssue({ code: 'custom', path: ['suggestedName'], message: issue.message })
    }
    if ((req.format === 'png') !== (req.encoding === 'base64')) {
      ctx.addIssue({
        code: 'custom',
        path: ['encoding'],
        message: 'must be base64 for png and utf8 for every other format',
      })
    }
    if (exportBytes(req.data, req.encoding) > MAX_EXPORT_BYTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['data'],
        message: `must be at most ${MAX_EXPORT_BYTES} bytes`,
        params: UNQUOTED,
      })
    } else if (req.encoding === 'base64' && !/^[A-Za-z0-9+/]*={0,2}$/.test(req.data)) {
      ctx.addIssue({ code: 'custom', path: ['data'], message: 'must be base64', params: UNQUOTED })
    }
  })

const requestSchemas: { [M in LabMethod]: z.ZodType<RequestOf<M>> } = {
  run: z.strictObject({
    scenario: z.unknown(),
    design: z.string().min(1).max(64).optional(),
    runId: runId.optional(),
  }) as z.ZodType<RequestOf<'run'>>,
  cancelRun: z.strictObject({ runId }),
  validate: z.strictObject({ scenario: z.unknown() }) as z.ZodType<RequestOf<'validate'>>,
  listPresets: empty as unknown as z.ZodType<RequestOf<'listPresets'>>,
  readPreset: z.strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, {
      error: 'must be a preset id: lower-case letters, digits and -',
    }),
  }),
  appInfo: empty as unknown as z.ZodType<RequestOf<'appInfo'>>,
  openScenario: z.strictObject({ recentId: handle.optional() }),
  saveScenario: z.strictObject({
    text: scenarioText,
    fileId: handle.nullable().optional(),
    saveAs: z.boolean().optional(),
    suggestedName: fileName('json'),
  }),
  recentFiles: empty as unknown as z.ZodType<RequestOf<'recentFiles'>>,
  saveDraft: z.strictObject({
    text: scenarioText,
    name: z.string().refine(isSafeFileName, { error: 'must be a file name' }).nullable(),
    fileId: handle.nullable(),
  }),
  loadDraft: empty as unknown as z.ZodType<RequestOf<'loadDraft'>>,
  clearDraft: empty as unknown as z.ZodType<RequestOf<'clearDraft'>>,
  saveExport: saveExport as z.ZodType<RequestOf<'saveExport'>>,
  exportPdf: z.strictObject({
    html: textUpTo(MAX_EXPORT_BYTES, 'HTML'),
    suggestedName: fileName('pdf'),
  }),
}

function pathOf(issue: { path: readonly PropertyKey[] }): PathSegment[] {
  return issue.path.filter((s): s is PathSegment => typeof s !== 'symbol')
}

export function isLabMethod(name: string): name is LabMethod {
  return Object.hasOwn(requestSchemas, name)
}

/** The methods the loopback host answers over HTTP (file methods run in the browser page). */
export function isEngineMethod(name: string): name is keyof EngineMethods {
  return (ENGINE_METHODS as readonly string[]).includes(name)
}

/** The request as the method expects it, or an `invalid-request` error naming the field. */
export function checkRequest<M extends LabMethod>(
  method: M,
  payload: unknown,
): Outcome<RequestOf<M>> {
  const parsed = requestSchemas[method].safeParse(payload ?? {})
  if (parsed.success) return ok(parsed.data)
  const issues = parsed.error.issues
  const unquoted = (i: (typeof issues)[number]) =>
    i.code === 'custom' && (i.params as typeof UNQUOTED | undefined)?.unquoted === true
  const problems = [
    ...issues.filter(unquoted).map((i) => ({ path: formatPath(pathOf(i)), message: i.message })),
    ...problemsFromZod(
      issues.filter((i) => !unquoted(i)),
      payload,
    ),
  ]
  return fail('invalid-request', `${method}: ${problems.map(problemLine).join('; ')}`, { problems })
}
