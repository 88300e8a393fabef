/**
 * From a scenario document to a run result or an error as data: the one path the CLI, the Electron
 * main process and the browser host share.
 */
import { fail, ok, type Outcome, type RunProgress } from '../shared/contract'
import type { RunResult } from '../shared/result'
import { problemLine } from '../shared/scenario/problems'
import { parseScenario, withDesign, type Scenario } from '../shared/scenario/scenario'
import {
  EngineUnavailableError,
  MAX_RECORDED,
  RecordLimitError,
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

export type RunProgressReport = Omit<RunProgress, 'runId'>

export interface RunControl {
  /** Called every `every` simulation events. */
  onProgress?: (p: RunProgressReport) => void
  shouldCancel?: () => boolean
  every?: number
  maxEvents?: number
  /** Most events and spans the run may record (MAX_RECORDED when absent). */
  maxRecorded?: number
}

export function runDocument(
  document: unknown,
  design?: string,
  control: RunControl = {},
): Outcome<RunResult> {
  const valid = validateDocument(document, design)
  if (!valid.ok) return valid
  const until = valid.value.workload.until ?? 0
  const recordLimit = control.maxRecorded ?? MAX_RECORDED
  const options: EngineOptions = {
    maxEvents: control.maxEvents,
    maxRecorded: recordLimit,
    hooks: {
      progressEvery: control.every,
      shouldCancel: control.shouldCancel,
      onProgress: control.onProgress
        ? (events, tick, recorded = 0) =>
            control.onProgress?.({ events, tick, until, recorded, recordLimit })
        : undefined,
    },
  }
  try {
    return ok(runScenario(valid.value, options))
  } catch (err) {
    if (err instanceof RecordLimitError) return fail('too-large', err.message)
    if (err instanceof RunBoundError || err instanceof EngineUnavailableError) {
      return fail('run-failed', err.message)
    }
    if (err instanceof RunCancelledError) return fail('run-failed', err.message)
    const message = err instanceof Error ? err.message : String(err)
    return fail('internal', `internal error in the engine: ${message}`)
  }
}
