/**
 * The scenario editor's form, read from the scenario schema itself (src/shared/scenario): one field
 * per schema field with its kind, bounds, choices and default, so the form follows the format
 * without a second description of it. Validation stays with `parseScenario`; this only says what
 * to draw. The common part (schemaVersion, name, …) is checked by the schema's common object, which
 * the engine schemas leave open; its fields are listed here as docs/scenario.md lists them.
 */
import type { z } from 'zod'
import { book3sSchema } from '../scenario/book3sScenario'
import { formatPath, type PathSegment } from '../scenario/problems'
import { ENGINES, type Engine } from '../scenario/scenario'
import { xenSchema } from '../scenario/xenScenario'

interface Base {
  key: string
  path: PathSegment[]
  /** May be left out of the file. */
  optional: boolean
  /** What the lab assumes when it is left out. */
  default?: unknown
  hint?: string
}

export type FieldSpec =
  | (Base & { kind: 'object'; fields: FieldSpec[] })
  | (Base & { kind: 'enum'; options: (string | number)[] })
  | (Base & { kind: 'int' | 'number'; min: number | null; max: number | null })
  | (Base & { kind: 'bool' })
  | (Base & { kind: 'text'; long: boolean })
  | (Base & { kind: 'intList'; min: number | null; max: number | null })
  | (Base & { kind: 'list'; item: FieldSpec })
  | (Base & { kind: 'union'; discriminator: string; variants: Record<string, FieldSpec[]> })
  | (Base & { kind: 'fixed'; value: unknown })

/** One line per field, from docs/scenario.md. */
const HINTS: Record<string, string> = {
  schemaVersion: 'format version; this lab reads 1',
  name: 'shown in the preset list and on charts',
  description: 'what the scenario shows',
  engine: 'which model runs it',
  seed: 'drives every random choice; same file and seed, same result',
  'host.processor': '4, 8 and 4 threads per core; POWER9 threads are independent',
  'host.cores': 'physical cores',
  'host.subcoresPerCore': 'static split-core; POWER8 only (subcore.c)',
  'host.hz':
    'host CONFIG_HZ: its timer tick ends every guest entry (HDEC) and lets the scheduler share cores',
  'kvm.design':
    '2013 first-come (@4b8473c9), e0b7ec05 aligned, ec257165 piggyback, b4deba5c dynamic micro-threading',
  'kvm.kernel': 'the Linux release whose book3s_hv code runs; default: the design’s first',
  'kvm.indepThreadsMode': 'POWER9 indep_threads_mode (default on; removed in 5.14 by aaae8c79)',
  'kvm.smtMode': 'KVM_CAP_PPC_SMT (3c313524); power of two ≤ threads per subcore',
  'kvm.emulSmtMode': 'POWER9 only: the guest’s threads per core for vcpu-id packing (1e175d2e)',
  'kvm.nrCpus': 'host NR_CPUS: KVM_MAX_VCPUS = KVM_MAX_VCORES = NR_CPUS',
  'guest.vcpuIds': 'the ids userspace creates, in order (give this or vcpus)',
  'guest.vcpus': 'stands for ids 0 … N−1 (give this or vcpuIds)',
  'guest.threads': 'with vcpus: QEMU -smp threads; ids (i / threads) × vsmt + i mod threads',
  'workload.steps': 'same-tick steps happen in file order',
  'workload.until': 'ticks to simulate',
  'workload.random': 'a seeded random workload; rates per verb in events per vcpu per 1000 ticks',
  'xen.version': 'where Xen’s answers change (CPUID flag 4.6, soft reset 4.7, -EBUSY 4.18)',
  'guest.type': 'x86 PV, x86 PVHVM, x86 PVH (Linux 4.11, Xen 4.10 on) or ARM',
  'guest.gic': 'ARM only: the virtual GIC; GICv2 allows 8 vCPUs, GICv3 up to 128 on arm64',
  'guest.maxVcpus': 'the domain’s vCPUs',
  'guest.onlineVcpus': 'vCPUs online at boot (0 … N−1)',
  'guest.nrCpus': 'Linux nr_cpus (the crash kernel’s for kdump)',
  'guest.eventChannels': 'event-channel ABI',
  'guest.boot.kind': 'kdump is modelled for PVHVM',
  'guest.boot.crashedVcpu': 'the vCPU the crash kernel starts on',
  'linux.design': 'before 88e957d6, 88e957d6, de75abbe, and the two proposals of de75abbe',
  'linux.era':
    'CPU notifiers (4.8), cpuhp (4.9), PVH and real ACPI ids on hot-add (4.11), -ENODEV and the early clock (5.4, 5.10), eed05744 (5.18)',
  'linux.idBeforeSet': 'the id a CPU holds before it is set',
}

const COMMON: readonly FieldSpec[] = [
  { kind: 'fixed', key: 'schemaVersion', path: ['schemaVersion'], optional: false, value: 1 },
  { kind: 'text', key: 'name', path: ['name'], optional: false, long: false },
  {
    kind: 'text',
    key: 'description',
    path: ['description'],
    optional: true,
    default: '',
    long: true,
  },
  { kind: 'enum', key: 'engine', path: ['engine'], optional: false, options: [...ENGINES] },
  {
    kind: 'int',
    key: 'seed',
    path: ['seed'],
    optional: true,
    default: 1,
    min: 0,
    max: 2 ** 32 - 1,
  },
].map((f) => ({ ...f, hint: HINTS[f.key] }) as FieldSpec)

const COMMON_KEYS = new Set(COMMON.map((f) => f.key))

type AnySchema = z.core.$ZodType
interface Def {
  type: string
  innerType?: AnySchema
  defaultValue?: unknown
  element?: AnySchema
  options?: AnySchema[]
  discriminator?: string
  values?: unknown[]
  shape?: Record<string, AnySchema>
}
const defOf = (s: AnySchema) => (s as unknown as { _zod: { def: Def } })._zod.def
const shapeOf = (s: AnySchema) => (s as unknown as { shape: Record<string, AnySchema> }).shape

function describe(schema: AnySchema, key: string, path: PathSegment[]): FieldSpec {
  let s = schema
  let optional = false
  let dflt: unknown
  for (;;) {
    const d = defOf(s)
    if (d.type === 'optional') optional = true
    else if (d.type === 'default') {
      optional = true
      dflt = d.defaultValue
    } else break
    s = d.innerType as AnySchema
  }
  const base = { key, path, optional, hint: HINTS[formatPath(path)] } as Base
  if (dflt !== undefined) base.default = dflt
  const d = defOf(s)
  switch (d.type) {
    case 'object':
      return {
        ...base,
        kind: 'object',
        fields: Object.entries(shapeOf(s)).map(([k, v]) => describe(v, k, [...path, k])),
      }
    case 'enum':
      return { ...base, kind: 'enum', options: (s as unknown as { options: string[] }).options }
    case 'literal':
      return { ...base, kind: 'fixed', value: d.values?.[0] }
    case 'number': {
      const n = s as unknown as { minValue: number | null; maxValue: number | null; isInt: boolean }
      return { ...base, kind: n.isInt ? 'int' : 'number', min: n.minValue, max: n.maxValue }
    }
    case 'boolean':
      return { ...base, kind: 'bool' }
    case 'string':
      return { ...base, kind: 'text', long: false }
    case 'array': {
      const item = describe(d.element as AnySchema, '[]', [...path, 0])
      if (item.kind === 'int') return { ...base, kind: 'intList', min: item.min, max: item.max }
      return { ...base, kind: 'list', item }
    }
    case 'union': {
      const options = d.options ?? []
      if (d.discriminator) {
        const variants: Record<string, FieldSpec[]> = {}
        for (const o of options) {
          const spec = describe(o, key, path)
          if (spec.kind !== 'object') continue
          const tag = spec.fields.find((f) => f.key === d.discriminator)
          if (tag?.kind === 'fixed') variants[String(tag.value)] = spec.fields
        }
        return { ...base, kind: 'union', discriminator: d.discriminator, variants }
      }
      // A union of literals: a choice.
      const values = options.map((o) => defOf(o).values?.[0])
      return { ...base, kind: 'enum', options: values as (string | number)[] }
    }
    default:
      return { ...base, kind: 'text', long: false }
  }
}

const ENGINE_SCHEMAS: Record<Engine, AnySchema> = { book3s: book3sSchema, xen: xenSchema }

/** Every field of a scenario of `engine`, in the order of the format. */
export function scenarioFields(engine: Engine): FieldSpec[] {
  const top = describe(ENGINE_SCHEMAS[engine], '', [])
  const engineFields =
    top.kind === 'object' ? top.fields.filter((f) => !COMMON_KEYS.has(f.key)) : []
  return [...COMMON, ...engineFields]
}

/** A small valid scenario to start from when the engine changes. */
export function starterScenario(engine: Engine): Record<string, unknown> {
  return engine === 'book3s'
    ? {
        schemaVersion: 1,
        name: 'New POWER scenario',
        engine: 'book3s',
        host: { processor: 'POWER8', cores: 2 },
        kvm: { design: 'aligned' },
        guest: { vcpus: 8 },
      }
    : {
        schemaVersion: 1,
        name: 'New Xen scenario',
        engine: 'xen',
        guest: { type: 'pvhvm', maxVcpus: 4 },
        linux: { design: 'vcpu-id-mapping' },
      }
}

// ---------------------------------------------------------------------------------------------
// Reading and writing a document by path (the editor's working copy is plain JSON).

export function getAt(doc: unknown, path: readonly PathSegment[]): unknown {
  let cur = doc
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string | number, unknown>)[seg]
  }
  return cur
}

/**
 * A copy of `doc` with `value` at `path` (objects and arrays on the way copied, missing ones
 * created); `undefined` removes the field.
 */
export function setAt(doc: unknown, path: readonly PathSegment[], value: unknown): unknown {
  if (path.length === 0) return value
  const [head, ...rest] = path as [PathSegment, ...PathSegment[]]
  const base: Record<string | number, unknown> | unknown[] = Array.isArray(doc)
    ? [...doc]
    : doc !== null && typeof doc === 'object'
      ? { ...(doc as Record<string, unknown>) }
      : typeof head === 'number'
        ? []
        : {}
  const next = setAt((base as Record<string | number, unknown>)[head], rest, value)
  if (next === undefined && !Array.isArray(base)) delete (base as Record<string, unknown>)[head]
  else (base as Record<string | number, unknown>)[head] = next
  return base
}

/** `"0, 1, 4-7"` → [0, 1, 4, 5, 6, 7]; a token that is not an integer or range is reported. */
export function parseIntList(
  text: string,
): { ok: true; value: number[] } | { ok: false; message: string } {
  const out: number[] = []
  const tokens = text.split(/[\s,]+/).filter(Boolean)
  for (const tok of tokens) {
    const range = /^(\d+)\s*(?:-|…|\.\.)\s*(\d+)$/.exec(tok)
    if (range) {
      const a = Number(range[1])
      const b = Number(range[2])
      if (b < a || b - a > 16384)
        return { ok: false, message: `“${tok}” is not a range a to b with a ≤ b` }
      for (let i = a; i <= b; i++) out.push(i)
    } else if (/^-?\d+$/.test(tok)) out.push(Number(tok))
    else return { ok: false, message: `“${tok}” is not an integer or a range like 4-7` }
  }
  return { ok: true, value: out }
}

/** [0, 1, 4, 5, 6, 7] → `"0, 1, 4-7"`. */
export function formatIntList(values: readonly unknown[]): string {
  const out: string[] = []
  let i = 0
  while (i < values.length) {
    const a = values[i]
    if (typeof a !== 'number') {
      out.push(JSON.stringify(a))
      i++
      continue
    }
    let j = i
    while (j + 1 < values.length && values[j + 1] === (values[j] as number) + 1) j++
    out.push(j - i >= 2 ? `${a}-${values[j] as number}` : String(a))
    if (j - i === 1) out.push(String(values[j]))
    i = j + 1
  }
  return out.join(', ')
}
