/**
 * `npm run preview:web -- [--port N]`: the lab in a browser. Serves the built renderer and the
 * contract on 127.0.0.1 and prints `Lab ready at http://127.0.0.1:N/`.
 */
import { Command, CommanderError } from 'commander'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createLabHandlers } from '../services/labService'
import { PRESETS_DIR, RENDERER_DIR, packageVersion } from '../services/paths'
import { sourceWorkerSpawner, workerRunner } from '../services/runRunner'
import { PREVIEW_BRIDGE } from '../shared/contract'
import { startHost } from './server'

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('preview:web')
    .description('serve the lab to a browser on 127.0.0.1')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '5199')
    .exitOverride()
  try {
    program.parse(argv, { from: 'user' })
  } catch (err) {
    return err instanceof CommanderError && err.exitCode === 0 ? 0 : 2
  }
  const port = Number(program.opts<{ port: string }>().port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(
      `--port: must be an integer from 0 to 65535 (got ${program.opts<{ port: string }>().port})\n`,
    )
    return 2
  }
  const missing = ['index.html', PREVIEW_BRIDGE.script].filter(
    (f) => !existsSync(join(RENDERER_DIR, f)),
  )
  if (missing.length > 0) {
    process.stderr.write(
      `The renderer is not built (${missing.join(', ')} missing in ${RENDERER_DIR}): run npm run build first.\n`,
    )
    return 1
  }
  // Engines run in worker threads, so the host keeps answering (cancelRun too) during a run.
  const runner = workerRunner({ spawn: sourceWorkerSpawner() })
  const host = await startHost({
    port,
    rendererDir: RENDERER_DIR,
    handlers: createLabHandlers({
      presetsDir: PRESETS_DIR,
      appVersion: packageVersion(),
      carrier: 'web',
      runner,
    }),
  })
  process.stdout.write(`Lab ready at ${host.url}\n`)
  const stop = () => void Promise.all([host.close(), runner.close()]).then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  return -1
}

void main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code
  },
  (err: unknown) => {
    process.stderr.write(`the lab host failed to start: ${(err as Error).message}\n`)
    process.exitCode = 1
  },
)
