/** `npm run preview:web` as a person starts it: the host entry prints its URL and serves the lab. */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../src/services/paths'

let child: ChildProcess | undefined
afterAll(() => child?.kill('SIGTERM'))

describe('the preview:web entry', () => {
  it('prints "Lab ready at http://127.0.0.1:N/" and serves the page there', async () => {
    child = spawn(
      join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'),
      ['src/host/main.ts', '--port', '0'],
      {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    const url = await new Promise<string>((resolve, reject) => {
      let out = ''
      child!.stdout!.on('data', (c: Buffer) => {
        out += c.toString()
        const m = /^Lab ready at (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out)
        if (m) resolve(m[1] as string)
      })
      child!.on('exit', (code) => reject(new Error(`host exited with ${code}: ${out}`)))
      setTimeout(() => reject(new Error(`no URL after 20 s: ${out}`)), 20_000)
    })
    const page = await fetch(url)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('/lab-bridge.js')
  })

  it('refuses a bad port with exit code 2 naming the option', async () => {
    const code = await new Promise<number | null>((resolve) => {
      const c = spawn(
        join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'),
        ['src/host/main.ts', '--port', 'x'],
        {
          cwd: PROJECT_ROOT,
          stdio: 'ignore',
        },
      )
      c.on('exit', resolve)
    })
    expect(code).toBe(2)
  })
})
