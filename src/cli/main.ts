/** Entry point of `npm run lab`: runs the command line and sets the exit code. */
import { runCli } from './cli'

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
