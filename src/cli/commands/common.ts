/**
 * What the commands share: where they print, how they fail (an ExitError carries the exit code
 * and the message for stderr), reading and running a scenario file, and the figures' theme.
 *
 * Exit codes: 0 the run completed (whatever the simulated system did); 2 the scenario (or the
 * command line) is not valid, with one `path: problem` line per problem on stderr and nothing
 * written; 1 an internal error, with a message.
 */
import { problemLine } from '../../shared/scenario/problems'
import { readJsonFile } from '../../services/scenarioFile'
import { runDocument, type RunProgressReport } from '../../services/runDocument'
import { DARK, LIGHT, type Palette } from '../../shared/charts/palette'
import type { RunResult } from '../../shared/result'

export const EXIT_OK = 0
export const EXIT_INTERNAL = 1
export const EXIT_INVALID = 2

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Whether stderr is a terminal (progress is shown only there). */
  stderrIsTty: boolean
}

/** Ends a command with `code`; `runCli` prints the message on stderr. */
export class ExitError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message)
  }
}

/**
 * Reads, validates and runs a scenario file: the result, or an ExitError with exit code 2 (one
 * `path: problem` line per problem) or 1 (the run itself failed). Progress goes to a terminal.
 */
export async function runFile(
  file: string,
  design: string | undefined,
  io: CliIo,
): Promise<RunResult> {
  const read = await readJsonFile(file)
  if (!read.ok) throw new ExitError(EXIT_INVALID, read.message)
  const progress = io.stderrIsTty
    ? (p: RunProgressReport) =>
        io.stderr(
          `\r${p.events.toLocaleString('en-US')} events, tick ${p.tick} of ${p.until}, ` +
            `${p.recorded.toLocaleString('en-US')} of ${p.recordLimit.toLocaleString('en-US')} recorded`,
        )
    : undefined
  const outcome = runDocument(read.document, design, { onProgress: progress })
  if (progress) io.stderr('\r\x1b[K')
  if (!outcome.ok) {
    const e = outcome.error
    if (e.code === 'invalid-scenario' && e.problems) {
      throw new ExitError(EXIT_INVALID, e.problems.map(problemLine).join('\n'))
    }
    // Too large is the scenario's to change, like an invalid one.
    if (e.code === 'too-large') throw new ExitError(EXIT_INVALID, `run refused: ${e.message}`)
    throw new ExitError(EXIT_INTERNAL, `run failed: ${e.message}`)
  }
  return outcome.value
}

/** The palette `--theme` names, or an ExitError (2) for a theme that is neither. */
export function themePalette(theme: string): Palette {
  if (theme !== 'light' && theme !== 'dark') {
    throw new ExitError(EXIT_INVALID, `--theme: must be "light" or "dark" (got "${theme}")`)
  }
  return theme === 'dark' ? DARK : LIGHT
}

/** A repeatable option's values, in the order given. */
export const collect = (v: string, prev: string[]) => [...prev, v]

/** Three decimals at most. */
export const round = (x: number) => Math.round(x * 1000) / 1000
/** A metric as the tables print it: three decimals at most, thousands separated; null is "—". */
export const show = (x: number | null) => (x === null ? '—' : round(x).toLocaleString('en-US'))

/** How often a terminal hears how much of a file is written. */
const PROGRESS_MS = 200

/**
 * `chunks` as they pass to the writer; on a terminal, stderr says how much of `path` is written
 * (in megabytes: characters for text, which is ASCII but for the odd name) and is cleared after.
 */
export function* writeProgress<T extends string | Uint8Array>(
  chunks: Iterable<T>,
  path: string,
  io: CliIo,
  now: () => number = () => performance.now(),
): Generator<T> {
  if (!io.stderrIsTty) return yield* chunks
  let written = 0
  let said = now()
  try {
    for (const chunk of chunks) {
      yield chunk
      written += chunk.length
      if (now() - said >= PROGRESS_MS) {
        io.stderr(`\r${path}: ${(written / 1e6).toFixed(0)} MB written`)
        said = now()
      }
    }
  } finally {
    io.stderr('\r\x1b[K')
  }
}
