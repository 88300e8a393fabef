/**
 * The one facade: `runScenario(scenario) → RunResult`, synchronous and pure. The same scenario and
 * seed give a byte-identical result. Progress and cancellation are hooks polled every N events.
 */
import type { RunResult } from '../shared/result'
import type { Engine, Scenario } from '../shared/scenario/scenario'
import { BOOK3S_ENGINE_VERSION, runBook3s, type EngineOptions } from './book3s'
import { runXen, XEN_ENGINE_VERSION } from './xen'

export type { EngineOptions } from './book3s'
export { MAX_RECORDED, RecordLimitError, RunBoundError, RunCancelledError } from './kernel'

export const ENGINE_VERSIONS: Readonly<Record<Engine, string>> = {
  book3s: BOOK3S_ENGINE_VERSION,
  xen: XEN_ENGINE_VERSION,
}

/** Kept for the carriers that report it; every engine of this build runs. */
export class EngineUnavailableError extends Error {
  constructor(engine: Engine) {
    super(`the ${engine} engine is not part of this build yet`)
    this.name = 'EngineUnavailableError'
  }
}

export function runScenario(scenario: Scenario, options: EngineOptions = {}): RunResult {
  switch (scenario.engine) {
    case 'book3s':
      return runBook3s(scenario, options)
    case 'xen':
      return runXen(scenario, options)
  }
}
