/**
 * Checks for every request that crosses a boundary (IPC, HTTP). Kept apart from contract.ts so the
 * sandboxed preload, which only needs channel names, does not bundle a validation library.
 */
import { z } from 'zod'
import { fail, ok, type LabMethod, type Outcome, type RequestOf } from './contract'
import { problemsFromZod, problemLine } from './scenario/problems'

const empty = z.strictObject({}).default({})

const runId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be 1 to 64 letters, digits, _ or -' })

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
}

export function isLabMethod(name: string): name is LabMethod {
  return Object.hasOwn(requestSchemas, name)
}

/** The request as the method expects it, or an `invalid-request` error naming the field. */
export function checkRequest<M extends LabMethod>(
  method: M,
  payload: unknown,
): Outcome<RequestOf<M>> {
  const parsed = requestSchemas[method].safeParse(payload ?? {})
  if (parsed.success) return ok(parsed.data)
  const problems = problemsFromZod(parsed.error.issues, payload)
  return fail('invalid-request', `${method}: ${problems.map(problemLine).join('; ')}`, { problems })
}
