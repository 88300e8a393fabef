/** What a terminal hears while `lab run --out` and `lab export` write a large file. */
import { describe, expect, it } from 'vitest'
import { writeProgress, type CliIo } from '../../../src/cli/commands/common'

function io(tty: boolean): CliIo & { said: string[] } {
  const said: string[] = []
  return { stdout: () => undefined, stderr: (t) => said.push(t), stderrIsTty: tty, said }
}

const chunks = (n: number) => Array.from({ length: n }, () => new Uint8Array(1_000_000))

describe('writeProgress', () => {
  it('says the megabytes written at most every 200 ms of the clock, then clears its line', () => {
    const term = io(true)
    let t = 0
    // Each look at the clock is 150 ms later: a line every second chunk.
    const out = [...writeProgress(chunks(5), 'run.json', term, () => (t += 150))]
    expect(out).toHaveLength(5)
    expect(term.said).toEqual(['\rrun.json: 2 MB written', '\rrun.json: 4 MB written', '\r\x1b[K'])
  })

  it('passes the chunks through untouched and says nothing when stderr is not a terminal', () => {
    const pipe = io(false)
    const input = chunks(3)
    const out = [...writeProgress(input, 'run.json', pipe, () => 1e9)]
    expect(out).toHaveLength(3)
    out.forEach((c, i) => expect(c).toBe(input[i]))
    expect(pipe.said).toEqual([])
  })

  it('clears its line when the writer stops early (a full disk)', () => {
    const term = io(true)
    const it = writeProgress(chunks(4), 'run.json', term, () => 0)
    it.next()
    it.return(undefined)
    expect(term.said).toEqual(['\r\x1b[K'])
  })
})

describe('lab run --out on a terminal', () => {
  it('tells the terminal about the file being written, and leaves the line clean', async () => {
    const { mkdtempSync, readFileSync, rmSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const { runCli } = await import('../../../src/cli/cli')
    const { PRESETS_DIR } = await import('../../../src/services/paths')
    const dir = mkdtempSync(join(tmpdir(), 'lab-progress-'))
    try {
      const out = join(dir, 'run.json')
      const preset = join(PRESETS_DIR, 'book3s-power8-aligned-vcores.json')
      const run = async (...extra: string[]) => {
        let err = ''
        const code = await runCli(['run', preset, ...extra], {
          stdout: () => undefined,
          stderr: (t) => (err += t),
          stderrIsTty: true,
        })
        return { code, clears: err.split('\r\x1b[K').length - 1 }
      }
      // The run's own progress line is cleared once; writing the file clears its line again.
      expect(await run()).toEqual({ code: 0, clears: 1 })
      expect(await run('--out', out)).toEqual({ code: 0, clears: 2 })
      expect(JSON.parse(readFileSync(out, 'utf8')).engine).toBe('book3s')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
