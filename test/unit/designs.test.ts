/**
 * Designs as data: each design is one file in src/designs/<engine>, chosen by the table
 * beside it, and the schema, the design notes and the engines read that one object.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BOOK3S_DESIGN_TABLE } from '../../src/designs/book3s'
import { BOOK3S_KERNEL_TABLE } from '../../src/designs/book3sKernels'
import type { Book3sDesignSettings } from '../../src/designs/book3s/types'
import { XEN_DESIGN_TABLE } from '../../src/designs/xen'
import { LINUX_ERA_TABLE } from '../../src/designs/xenEras'
import { PROJECT_ROOT } from '../../src/services/paths'
import { DESIGN_NOTES } from '../../src/shared/lab/designNotes'
import { DESIGNS, parseScenario } from '../../src/shared/scenario/scenario'
import { LINUX_ERAS } from '../../src/shared/scenario/xenScenario'

const TABLES = { book3s: BOOK3S_DESIGN_TABLE, xen: XEN_DESIGN_TABLE } as const

/** Each file of `dir` but the table and the types exports one spec, found in `table` by name. */
async function expectOneFileEach(dir: string, table: Record<string, { name: string }>) {
  const files = readdirSync(dir).filter((f) => f !== 'index.ts' && f !== 'types.ts')
  expect(files.length).toBeGreaterThanOrEqual(2)
  for (const f of files) {
    const mod = (await import(join(dir, f))) as Record<string, unknown>
    const specs = Object.values(mod).filter((v) => typeof v === 'object' && v !== null)
    expect(specs, f).toHaveLength(1)
    const spec = specs[0] as { name: string }
    expect(table[spec.name], `${f} is missing from ${dir}/index.ts`).toBe(spec)
  }
  expect(files).toHaveLength(Object.keys(table).length)
}

describe('designs as data', () => {
  for (const [engine, table] of Object.entries(TABLES)) {
    it(`every ${engine} design file is in the table under its own name`, async () => {
      await expectOneFileEach(join(PROJECT_ROOT, 'src/designs', engine), table)
    })

    it(`the ${engine} schema and the design notes list exactly the table's designs`, () => {
      expect(DESIGNS[engine as keyof typeof TABLES]).toEqual(Object.keys(table))
      expect(DESIGN_NOTES.filter((n) => n.engine === engine).map((n) => n.design)).toEqual(
        Object.keys(table),
      )
    })
  }

  it('every Book3S HV kernel file is in the kernel table, oldest first, and the schema offers exactly those', async () => {
    await expectOneFileEach(join(PROJECT_ROOT, 'src/designs/book3sKernels'), BOOK3S_KERNEL_TABLE)
    const names = Object.keys(BOOK3S_KERNEL_TABLE)
    const version = (n: string) => n.split('.').map(Number) as [number, number]
    const sorted = [...names].sort((a, b) => {
      const [x, y] = [version(a), version(b)]
      return x[0] - y[0] || x[1] - y[1]
    })
    expect(names).toEqual(sorted)
    // Each design's first and last kernel are kernels of the table.
    for (const d of Object.values(BOOK3S_DESIGN_TABLE)) {
      expect(names).toContain(d.firstKernel)
      if (d.lastKernel !== null) expect(names).toContain(d.lastKernel)
    }
    // Mechanisms only arrive: nothing a release has is missing from a later one, but what
    // b009031f and aaae8c79 took out.
    const rows = Object.values(BOOK3S_KERNEL_TABLE)
    for (const key of [
      'staticSplit',
      'smtCap',
      'power9',
      'msgsndWake',
      'coschedule',
      'dynamicSplit',
    ] as const) {
      const first = rows.findIndex((k) => k[key])
      if (first >= 0)
        expect(
          rows.slice(first).every((k) => k[key]),
          key,
        ).toBe(true)
    }
  })

  it('docs/engines.md lists every Book3S HV kernel and every design', () => {
    const text = readFileSync(join(PROJECT_ROOT, 'docs/engines.md'), 'utf8')
    for (const k of Object.keys(BOOK3S_KERNEL_TABLE))
      expect(text, k).toMatch(new RegExp(`\\| ${k.replace('.', '\\.')} +\\|`))
    for (const d of Object.keys(BOOK3S_DESIGN_TABLE)) expect(text, d).toContain(`\`${d}\``)
  })

  it('every Linux era file is in the era table, and the schema offers exactly those eras', async () => {
    await expectOneFileEach(join(PROJECT_ROOT, 'src/designs/xenEras'), LINUX_ERA_TABLE)
    expect(LINUX_ERAS).toEqual(Object.keys(LINUX_ERA_TABLE))
    expect(LINUX_ERA_TABLE['4.9'].cpuhp).toBe(true)
    expect(LINUX_ERA_TABLE['4.8'].fifoPrepare.state).toBe('CPU_UP_PREPARE')
  })

  it('first-come refuses what the 2013 code predates, naming the field', () => {
    const fc = BOOK3S_DESIGN_TABLE['first-come']
    const base: Book3sDesignSettings = {
      processor: 'POWER8',
      subcoresPerCore: 1,
      smtMode: 8,
      threadsPerSubcore: 8,
    }
    expect(fc.refuse({ ...base, processor: 'POWER9' })?.path).toEqual(['kvm', 'design'])
    expect(fc.refuse({ ...base, subcoresPerCore: 2 })?.message).toMatch(/static split-core/)
    expect(fc.refuse({ ...base, smtMode: 4 })?.path).toEqual(['kvm', 'smtMode'])
    expect(fc.refuse(base)).toBeNull()
    expect(BOOK3S_DESIGN_TABLE.aligned.refuse({ ...base, processor: 'POWER9' })).toBeNull()
    // The schema reports the design's refusal at its path.
    const r = parseScenario({
      schemaVersion: 1,
      name: 'x',
      engine: 'book3s',
      host: { processor: 'POWER8', subcoresPerCore: 2 },
      kvm: { design: 'first-come' },
      guest: { vcpus: 2 },
    })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.problems.map((p) => p.path)).toContain('kvm.design')
  })

  it('first-come starts non-ceded vcpus first on threads 0, 1, …; aligned on their ptid', () => {
    const v0 = { ptid: 0, ceded: true }
    const v1 = { ptid: 1, ceded: false }
    const v3 = { ptid: 3, ceded: false }
    expect(BOOK3S_DESIGN_TABLE['first-come'].placeThreads([v0, v1, v3])).toEqual([
      [v1, 0],
      [v3, 1],
      [v0, 2],
    ])
    expect(BOOK3S_DESIGN_TABLE.aligned.placeThreads([v0, v1, v3])).toEqual([
      [v0, 0],
      [v1, 1],
      [v3, 3],
    ])
    expect(BOOK3S_DESIGN_TABLE['first-come'].latecomerThread(v3, 3)).toBe(2)
    expect(BOOK3S_DESIGN_TABLE.aligned.latecomerThread(v3, 3)).toBe(3)
  })

  it('each Xen design gives its idBeforeSet default and where ARM ids are set', () => {
    const t = XEN_DESIGN_TABLE
    expect(t['vcpu-id-mapping'].idBeforeSet('pvhvm')).toBe('boot-id')
    expect(t['vcpu-id-mapping'].idBeforeSet('arm')).toBe('minus-one')
    expect(t['arm-smp-fix'].idBeforeSet('arm')).toBe('zero')
    expect(t['raw-cpu'].idBeforeSet('pvhvm')).toBe('zero')
    expect(t['vcpu-id-mapping'].armInitId(1)).toBe('before-set')
    expect(t['vcpu-id-mapping'].armStartingId).toBe('direct')
    expect(t['arm-smp-fix'].armInitId(1)).toBe('direct')
    expect(t['firmware-ids'].armInitId(1)).toBe('mpidr')
    expect(t['starting-cpu-hypercalls'].selfPrepare).toBe(true)
    expect(
      Object.values(t)
        .filter((d) => d.pvIs2007)
        .map((d) => d.name),
    ).toEqual(['raw-cpu'])
  })
})
