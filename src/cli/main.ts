/** Entry point of `npm run lab`: runs the command line and sets the exit code. */
import { runCli } from './cli'

// `lab run F | head`: the reader went away. Stop quietly, as a filter does, instead of a stack.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0)
  throw err
})

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
