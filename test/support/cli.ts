/** Runs the command line in-process and captures what it prints. */
import { runCli } from '../../src/cli/cli'

export async function cli(
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string; stdoutWrites: number[] }> {
  let stdout = ''
  let stderr = ''
  /** The length of each write to stdout. */
  const stdoutWrites: number[] = []
  const code = await runCli(argv, {
    stdout: (t) => {
      stdoutWrites.push(t.length)
      stdout += t
    },
    stderr: (t) => (stderr += t),
    stderrIsTty: false,
  })
  return { code, stdout, stderr, stdoutWrites }
}
