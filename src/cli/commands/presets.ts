/** `lab presets`: the built-in scenarios, as a table or JSON. */
import type { Command } from 'commander'
import { PRESETS_DIR } from '../../services/paths'
import { listPresets } from '../../services/presets'
import type { CliIo } from './common'

export function registerPresets(program: Command, io: CliIo): void {
  program
    .command('presets')
    .description('list the built-in scenarios')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { json?: boolean }) => {
      const presets = await listPresets(PRESETS_DIR)
      if (opts.json) {
        io.stdout(JSON.stringify(presets, null, 2) + '\n')
        return
      }
      const w = Math.max(...presets.map((p) => p.id.length), 2)
      for (const p of presets) {
        io.stdout(`${p.id.padEnd(w)}  ${p.engine.padEnd(6)}  ${p.design.padEnd(24)}  ${p.name}\n`)
      }
      io.stdout(`\nRun one with: npm run --silent lab -- run resources/presets/<id>.json\n`)
    })
}
