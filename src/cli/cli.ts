/**
 * The command line: `npm run --silent lab -- <command>` (docs/cli.md). This module builds the
 * program and runs it; each command is a module of `commands/`, and `commands/common.ts` says
 * what the exit codes mean.
 */
import { Command, CommanderError } from 'commander'
import { ENGINE_VERSIONS } from '../engines'
import { WriteError } from '../services/atomicWrite'
import { packageVersion } from '../services/paths'
import { registerCompare } from './commands/compare'
import { EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, ExitError, type CliIo } from './commands/common'
import { registerExport } from './commands/export'
import { registerImport } from './commands/import'
import { registerPresets } from './commands/presets'
import { registerRun } from './commands/run'
import { registerSweep } from './commands/sweep'

export { EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, type CliIo } from './commands/common'

const nodeIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stderrIsTty: Boolean(process.stderr.isTTY),
}

/** The commands, in the order `--help` lists them. */
const COMMANDS = [
  registerRun,
  registerExport,
  registerCompare,
  registerSweep,
  registerImport,
  registerPresets,
]

function buildProgram(io: CliIo): Command {
  const program = new Command()
  program
    .name('lab')
    .description('vCPU Lab: run Xen and KVM Book3S HV scenarios headless')
    .version(`${packageVersion()} (${Object.values(ENGINE_VERSIONS).join(', ')})`)
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
  for (const register of COMMANDS) register(program, io)
  return program
}

/** Runs the command line and returns the exit code (never calls process.exit itself). */
export async function runCli(argv: string[], io: CliIo = nodeIo): Promise<number> {
  const program = buildProgram(io)
  try {
    await program.parseAsync(argv, { from: 'user' })
    return EXIT_OK
  } catch (err) {
    if (err instanceof ExitError) {
      io.stderr(err.message.endsWith('\n') ? err.message : `${err.message}\n`)
      return err.code
    }
    if (err instanceof WriteError) {
      // A read-only --out, a full disk, a folder: the user's to fix, not an internal error.
      io.stderr(`${err.message}\n`)
      return EXIT_INVALID
    }
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed.
      return err.exitCode === 0 ? EXIT_OK : EXIT_INVALID
    }
    const message = err instanceof Error ? err.message : String(err)
    io.stderr(`internal error: ${message}\n`)
    return EXIT_INTERNAL
  }
}
