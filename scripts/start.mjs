#!/usr/bin/env node
/**
 * `npm start`: build, then run the Electron app. Electron's binary comes from GitHub the first time
 * it is needed; where it cannot be had (no internet, as on the project's build machines) this says
 * so and starts the browser preview instead, so the lab still opens.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = (name) => join(root, 'node_modules', '.bin', name)

const build = spawnSync(bin('electron-vite'), ['build', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
})
if (build.status !== 0) process.exit(build.status ?? 1)

// Asking for the path makes the electron package fetch its binary if it is missing.
const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
  cwd: root,
  encoding: 'utf8',
  timeout: 10 * 60 * 1000,
  stdio: ['ignore', 'pipe', 'pipe'],
})
const electronPath = probe.status === 0 ? probe.stdout.trim() : ''

if (electronPath && existsSync(electronPath)) {
  const child = spawn(electronPath, [root, ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
  })
  child.on('exit', (code) => process.exit(code ?? 0))
} else {
  const lines = `${probe.stderr ?? ''}\n${probe.stdout ?? ''}`.split('\n').map((l) => l.trim())
  const why =
    lines.find((l) => /fetch failed|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN/.test(l)) ??
    lines.find((l) => l.startsWith('Error:')) ??
    (probe.error ? String(probe.error) : 'unknown reason')
  process.stdout.write(
    '\nThe Electron binary is not on this machine and could not be downloaded ' +
      `(${why}). Electron fetches it from GitHub the first time it runs, which needs internet access. ` +
      'Starting the browser preview instead: the same lab, served on 127.0.0.1; open the address below ' +
      'in Chromium or any browser. On a machine with internet, npm start opens the desktop app.\n\n',
  )
  const child = spawn(
    bin('tsx'),
    [join(root, 'src', 'host', 'main.ts'), ...process.argv.slice(2)],
    {
      cwd: root,
      stdio: 'inherit',
    },
  )
  child.on('exit', (code) => process.exit(code ?? 0))
}
