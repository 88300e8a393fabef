/**
 * Rewrites test/golden/<preset>.json from the current engines. Run it only when a change to a
 * result is intended, and read the diff before committing it.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runDocument } from '../src/services/runDocument'
import { PRESETS_DIR, PROJECT_ROOT } from '../src/services/paths'

const out = join(PROJECT_ROOT, 'test', 'golden')
mkdirSync(out, { recursive: true })
for (const name of readdirSync(PRESETS_DIR)
  .filter((n) => n.endsWith('.json'))
  .sort()) {
  const doc = JSON.parse(readFileSync(join(PRESETS_DIR, name), 'utf8')) as unknown
  const r = runDocument(doc)
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`)
  writeFileSync(join(out, name), JSON.stringify(r.value, null, 2) + '\n')
  process.stdout.write(`wrote test/golden/${name}\n`)
}
