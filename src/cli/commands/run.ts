/** `lab run`: a scenario's run result as JSON, on stdout or into a file. */
import type { Command } from 'commander'
import { writeFileAtomic } from '../../services/atomicWrite'
import { runFile, type CliIo } from './common'

export function registerRun(program: Command, io: CliIo): void {
  program
    .command('run')
    .description('run a scenario and print (or write) its run result as JSON')
    .argument('<scenario>', 'scenario file (.json)')
    .option('--design <name>', "override the scenario's design")
    .option('--out <file>', 'write the result here (atomically) instead of stdout')
    .option('--compact', 'print JSON on one line')
    .action(async (file: string, opts: { design?: string; out?: string; compact?: boolean }) => {
      const result = await runFile(file, opts.design, io)
      const json = JSON.stringify(result, null, opts.compact ? undefined : 2) + '\n'
      if (opts.out) await writeFileAtomic(opts.out, json)
      else io.stdout(json)
    })
}
