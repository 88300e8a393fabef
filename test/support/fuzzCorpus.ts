/**
 * A seeded corpus of hostile and careless scenario files, made from the presets: each preset's
 * text with one mutation of a class that once broke the lab (issue 19): a field dropped or of the
 * wrong type, a fraction JSON rounds to an integer, a key given twice, nesting thousands deep, an
 * array past its limit, control characters in text and keys, a file cut short or with junk bytes, a
 * byte-order mark, and a workload scaled up past the record bound. The same seed gives the same
 * corpus, so a failure names its item and can be replayed.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { Prng } from '../../src/engines/kernel'
import { PRESETS_DIR } from '../../src/services/paths'

export interface FuzzItem {
  /** `<preset>#<mutation>`: what to replay. */
  id: string
  mutation: Mutation
  text: string
}

export const MUTATIONS = [
  'drop-field',
  'wrong-type',
  'non-integer',
  'duplicate-key',
  'deep-nesting',
  'long-array',
  'control-chars',
  'odd-key',
  'truncated',
  'junk-bytes',
  'bom',
  'scaled-up',
] as const
export type Mutation = (typeof MUTATIONS)[number]

type Path = (string | number)[]
type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

/** Every path to a value in `doc` (leaves and containers), in document order. */
function paths(doc: Json, at: Path = [], out: Path[] = []): Path[] {
  if (at.length > 0) out.push(at)
  if (Array.isArray(doc)) doc.forEach((v, i) => paths(v, [...at, i], out))
  else if (doc && typeof doc === 'object')
    for (const [k, v] of Object.entries(doc)) paths(v, [...at, k], out)
  return out
}

function getAt(doc: Json, path: Path): Json {
  return path.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k] as Json, doc)
}

function setAt(doc: Json, path: Path, value: Json | undefined): void {
  const parent = getAt(doc, path.slice(0, -1)) as Record<string | number, Json>
  const key = path.at(-1) as string | number
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(key as number, 1)
    else delete parent[key]
  } else parent[key] = value
}

const MARK = '"__fuzz_mark__"'

/** `doc` as text with the value at `path` replaced by raw `text` (which need not be valid JSON). */
function withRaw(doc: Json, path: Path, text: string): string {
  const copy = structuredClone(doc)
  setAt(copy, path, '__fuzz_mark__')
  return JSON.stringify(copy, null, 2).replace(MARK, text)
}

function mutate(doc: Json, text: string, m: Mutation, rng: Prng): string {
  const all = paths(doc)
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)] as T
  // Numbers of 1 or more: a tiny fraction added to them is lost when JSON reads them.
  const numbers = all.filter((p) => {
    const v = getAt(doc, p)
    return typeof v === 'number' && v >= 1
  })
  const objects = [[] as Path, ...all.filter((p) => isObject(getAt(doc, p)))]
  switch (m) {
    case 'drop-field': {
      const copy = structuredClone(doc)
      setAt(copy, pick(all), undefined)
      return JSON.stringify(copy, null, 2)
    }
    case 'wrong-type': {
      const odd: Json[] = ['x', [], {}, null, true, -1, 1e308, 2 ** 53 + 1, [1, 'a'], { a: 1 }]
      const copy = structuredClone(doc)
      setAt(copy, pick(all), pick(odd))
      return JSON.stringify(copy, null, 2)
    }
    case 'non-integer': {
      if (numbers.length === 0) return withRaw(doc, ['seed'], '1.000000000000000001')
      const p = pick(numbers)
      return withRaw(doc, p, `${Math.trunc(getAt(doc, p) as number)}.000000000000000001`)
    }
    case 'duplicate-key': {
      const p = pick(objects)
      const obj = getAt(doc, p) as Record<string, Json>
      const key = pick(Object.keys(obj).length ? Object.keys(obj) : ['name'])
      const copy = structuredClone(doc)
      ;(getAt(copy, p) as Record<string, Json>)['__fuzz_dup__'] = 0
      return JSON.stringify(copy, null, 2).replace('"__fuzz_dup__": 0', `${JSON.stringify(key)}: 1`)
    }
    case 'deep-nesting': {
      const depth = pick([40, 500, 5000, 60_000])
      return withRaw(doc, pick(all), '['.repeat(depth) + ']'.repeat(depth))
    }
    case 'long-array': {
      const n = pick([8193, 20_000, 1_000_001])
      return withRaw(doc, pick(all), `[${Array.from({ length: n }, () => '0').join(',')}]`)
    }
    case 'control-chars': {
      const copy = structuredClone(doc) as Record<string, Json>
      copy.name = `bad${pick(['\u0007', '\u001b[31m', '\u0000', '\u009b'])}name`
      return JSON.stringify(copy, null, 2)
    }
    case 'odd-key': {
      const copy = structuredClone(doc)
      const p = pick(objects)
      ;(getAt(copy, p) as Record<string, Json>)[`\u001b]0;${'k'.repeat(rng.int(200))}\u0007`] = 1
      return JSON.stringify(copy, null, 2)
    }
    case 'truncated':
      return text.slice(0, rng.int(text.length))
    case 'junk-bytes': {
      const at = rng.int(text.length)
      const junk = String.fromCharCode(...Array.from({ length: 4 }, () => rng.int(256)))
      return text.slice(0, at) + junk + text.slice(at)
    }
    case 'bom':
      return `\ufeff${text}`
    case 'scaled-up':
      return JSON.stringify(scaledUp(doc as Record<string, Json>, rng), null, 2)
  }
}

const isObject = (v: unknown): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** The preset with its guest and workload multiplied, to reach the record bound of the harness. */
function scaledUp(doc: Record<string, Json>, rng: Prng): Record<string, Json> {
  const copy = structuredClone(doc)
  const guest = (copy.guest ?? {}) as Record<string, Json>
  if (copy.engine === 'xen') {
    // At least 128 × 160 IPIs: past the harness's bound before the run.
    const n = 128 + rng.int(128)
    guest.maxVcpus = n
    delete guest.nrCpus
    const everyone = Array.from({ length: n }, (_, i) => i)
    copy.workload = {
      steps: Array.from({ length: 160 + rng.int(40) }, (_, i) => ({
        at: i * 5000,
        cpu: 0,
        do: 'call-function',
        targets: everyone,
      })),
    }
  } else {
    // At least 64 vcpus × 20,000 ticks × 20 / 1000: past the harness's bound before the run.
    copy.guest = { vcpus: 64 + rng.int(64) }
    copy.workload = {
      random: { until: 20_000, rates: { run: 5, cede: 5, wake: 5, msgsndp: 5 } },
    }
    return copy
  }
  copy.guest = guest
  return copy
}

/** The corpus: every preset, each mutation, in a seeded order of choices. */
export function fuzzCorpus(seed: number): FuzzItem[] {
  const rng = new Prng(seed)
  const items: FuzzItem[] = []
  const files = readdirSync(PRESETS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
  for (const f of files) {
    const text = readFileSync(join(PRESETS_DIR, f), 'utf8')
    const doc = JSON.parse(text) as Json
    for (const m of MUTATIONS) {
      items.push({
        id: `${f.replace(/\.json$/, '')}#${m}`,
        mutation: m,
        text: mutate(doc, text, m, rng),
      })
    }
  }
  return items
}
