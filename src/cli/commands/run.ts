/**
 * `lab run`: a scenario's run result as JSON, on stdout or into a file; `--format NAME` prints
 * it as a tool of the user's prints it instead (src/shared/views: xl vcpu-list, ppc64_cpu --info,
 * QEMU's info cpus).
 */
import type { Command } from 'commander'
import { writeFileAtomic } from '../../services/atomicWrite'
import { jsonBytes, withNewline } from '../../shared/jsonChunks'
import { VIEW_FORMATS, renderView, viewText } from '../../shared/views'
import { EXIT_INVALID, ExitError, runFile, writeProgress, type CliIo } from './common'

interface RunFlags {
  design?: string
  out?: string
  compact?: boolean
  format?: string
  onlineOnly?: boolean
}

/**
 * The result as `--format` asks: JSON as UTF-8 in chunks, as they are made (a large run's is more
 * than one string may hold), or one of the tools' views.
 */
function formatted(
  result: Awaited<ReturnType<typeof runFile>>,
  flags: RunFlags,
): Iterable<string | Uint8Array> {
  const format = flags.format ?? 'json'
  if (format === 'json') return withNewline(jsonBytes(result, flags.compact ? 0 : 2))
  const v = renderView(result, format, { offline: !flags.onlineOnly })
  if (!v.ok) throw new ExitError(EXIT_INVALID, `--format: ${v.message}`)
  return [viewText(v.view)]
}

/** A chunk of UTF-8 (it ends after a whole value, never inside a character) as text. */
const text = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')

export function registerRun(program: Command, io: CliIo): void {
  program
    .command('run')
    .description('run a scenario and print (or write) its run result as JSON')
    .argument('<scenario>', 'scenario file (.json)')
    .option('--design <name>', "override the scenario's design")
    .option('--out <file>', 'write the result here (atomically) instead of stdout')
    .option('--compact', 'print JSON on one line')
    .option(
      '--format <name>',
      `json (the default) or a view as a tool prints it: ${VIEW_FORMATS.map((v) => v.name).join(', ')}`,
    )
    .option('--online-only', 'xl-vcpu-list: leave out the offline vCPUs (xl lists them as --p)')
    .action(async (file: string, opts: RunFlags) => {
      // An unknown format is a command-line error before anything runs.
      const format = opts.format ?? 'json'
      if (format !== 'json' && !VIEW_FORMATS.some((v) => v.name === format)) {
        throw new ExitError(
          EXIT_INVALID,
          `--format: must be json or one of ${VIEW_FORMATS.map((v) => `"${v.name}"`).join(', ')} (got "${format}")`,
        )
      }
      const result = await runFile(file, opts.design, io)
      const chunks = formatted(result, opts)
      if (opts.out) await writeFileAtomic(opts.out, writeProgress(chunks, opts.out, io))
      else for (const c of chunks) io.stdout(typeof c === 'string' ? c : text(c))
    })
}
