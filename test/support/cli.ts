/** Runs the command line in-process and captures what it prints. */
import { runCli } from '../../src/cli/cli'

export async function cli(
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    stderrIsTty: false,
  })
  return { code, stdout, stderr }
}
