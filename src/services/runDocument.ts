/**
 * From a scenario document to a run result or an error as data: the one path the CLI, the Electron
 * main process and the browser host share.
 */
import { fail, ok, type Outcome } from '../shared/contract'
import type { RunResult } from '../shared/result'
import { problemLine } from '../shared/scenario/problems'
import { parseScenario, withDesign, type Scenario } from '../shared/scenario/scenario'
import {
  EngineUnavailableError,
  RunBoundError,
  RunCancelledError,
  runScenario,
  type EngineOptions,
} from '../engines'

export function validateDocument(document: unknown, design?: string): Outcome<Scenario> {
  const parsed = parseScenario(design === undefined ? document : withDesign(document, design))
  if (parsed.ok) return ok(parsed.scenario)
  const n = parsed.problems.length
  return fail(
    'invalid-scenario',
    `the scenario has ${n} problem${n === 1 ? '' : 's'}: ${parsed.problems.map(problemLine).join('; ')}`,
    {
      problems: parsed.problems,
      path: parsed.problems[0]?.path,
    },
  )
}

export interface RunControl {
  /** Called every `every` simulation events. */
  onProgress?: (p: { events: number; tick: number; until: number }) => void
  shouldCancel?: () => boolean
  every?: number
  maxEvents?: number
}

export function runDocument(
  document: unknown,
  design?: string,
  control: RunControl = {},
): Outcome<RunResult> {
  const valid = validateDocument(document, design)
  if (!valid.ok) return valid
  const until = valid.value.workload.until ?? 0
  const options: EngineOptions = {
    maxEvents: control.maxEvents,
    hooks: {
      progressEvery: control.every,
      shouldCancel: control.shouldCancel,
      onProgress: control.onProgress
        ? (events, tick) => control.onProgress?.({ events, tick, until })
        : undefined,
    },
  }
  try {
    return ok(runScenario(valid.value, options))
  } catch (err) {
    if (err instanceof RunBoundError || err instanceof EngineUnavailableError) {
      return fail('run-failed', err.message)
    }
    if (err instanceof RunCancelledError) return fail('run-failed', err.message)
    const message = err instanceof Error ? err.message : String(err)
    return fail('internal', `internal error in the engine: ${message}`)
  }
}
