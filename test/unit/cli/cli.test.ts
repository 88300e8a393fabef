/** The command line as a script would use it: exit codes, stdout, stderr, files written or not. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli } from '../../support/cli'
import { PRESETS_DIR } from '../../../src/services/paths'

const tmp = mkdtempSync(join(tmpdir(), 'lab-cli-'))
const preset = join(PRESETS_DIR, 'book3s-power8-aligned-vcores.json')

describe('lab run', () => {
  it('prints a run result whose details.vcpus follow the aligned formulas, exit 0', async () => {
    const { code, stdout, stderr } = await cli('run', preset)
    expect(code).toBe(0)
    expect(stderr).toBe('')
    const r = JSON.parse(stdout)
    for (const v of r.details.vcpus) {
      expect(v.vcore).toBe(Math.floor(v.id / 8))
      expect(v.firstVcpuId).toBe(v.vcore * 8)
      expect(v.ptid).toBe(v.id - v.firstVcpuId)
    }
  })

  it('--design overrides the scenario and --out writes the file', async () => {
    const out = join(tmp, 'r.json')
    const { code, stdout } = await cli('run', preset, '--design', 'first-come', '--out', out)
    expect(code).toBe(0)
    expect(stdout).toBe('')
    const r = JSON.parse(readFileSync(out, 'utf8'))
    expect(r.design).toBe('first-come')
    expect(r.details.vcpus[0].ptid).toBeNull()
  })

  it('exits 2 with one path: problem line each, and writes nothing, for an invalid scenario', async () => {
    const file = join(tmp, 'bad.json')
    writeFileSync(
      file,
      JSON.stringify({
        schemaVersion: 1,
        name: 'x',
        engine: 'xen',
        guest: { type: 'pvhvm', maxVcpus: 0 },
        linux: { design: 'nope' },
      }),
    )
    const out = join(tmp, 'never.json')
    const { code, stdout, stderr } = await cli('run', file, '--out', out)
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr.trim().split('\n')).toEqual([
      'guest.maxVcpus: must be an integer from 1 to 4096 (got 0)',
      'linux.design: must be one of "raw-cpu", "vcpu-id-mapping", "arm-smp-fix", "starting-cpu-hypercalls", "firmware-ids" (got "nope")',
    ])
    expect(existsSync(out)).toBe(false)
  })

  it('exits 2 naming an unknown design given with --design', async () => {
    const { code, stderr } = await cli('run', preset, '--design', 'fcfs')
    expect(code).toBe(2)
    expect(stderr).toBe('kvm.design: must be one of "first-come", "aligned" (got "fcfs")\n')
  })

  it('exits 2 with the path and position for a file that is not JSON, or is missing', async () => {
    const file = join(tmp, 'broken.json')
    writeFileSync(file, '{\n  "a": 1,\n}')
    const broken = await cli('run', file)
    expect(broken.code).toBe(2)
    expect(broken.stderr).toMatch(new RegExp(`^${file}: not valid JSON: .*\\(line 3, column 1\\)`))
    const missing = await cli('run', join(tmp, 'missing.json'))
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('cannot read the file (ENOENT)')
  })

  it('exits 2 on a usage error', async () => {
    expect((await cli('frobnicate')).code).toBe(2)
    expect((await cli('run')).code).toBe(2)
  })
})

describe('lab run: KVM settings the kernel refuses are invalid scenarios', () => {
  const write = (name: string, doc: unknown) => {
    const file = join(tmp, name)
    writeFileSync(file, JSON.stringify(doc))
    return file
  }
  const base = { schemaVersion: 1, name: 'x', engine: 'book3s', guest: { vcpus: 2 } }

  it('an SMT mode that is not a power of two exits 2 naming kvm.smtMode', async () => {
    const r = await cli(
      'run',
      write('smt.json', {
        ...base,
        host: { processor: 'POWER8' },
        kvm: { design: 'aligned', smtMode: 3 },
      }),
    )
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(
      /^kvm\.smtMode: must be a power of two from 1 to 8 .*-EINVAL.*\(got 3\)\n$/,
    )
  })

  it('split-core on POWER7 exits 2 naming host.subcoresPerCore', async () => {
    const r = await cli(
      'run',
      write('split.json', {
        ...base,
        host: { processor: 'POWER7', subcoresPerCore: 2 },
        kvm: { design: 'aligned' },
      }),
    )
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^host\.subcoresPerCore: static split-core exists only on POWER8/)
  })

  it('an RB operand on POWER8 exits 2 naming the step', async () => {
    const r = await cli(
      'run',
      write('rb.json', {
        ...base,
        host: { processor: 'POWER8' },
        kvm: { design: 'aligned' },
        workload: { steps: [{ at: 0, vcpu: 0, do: 'msgsndp', rb: 1 }] },
      }),
    )
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(
      'workload.steps[0].rb: only POWER9 emulates msgsndp from its RB operand; give a tag (got 1)\n',
    )
  })

  it('a vcpu KVM refuses is a result, not an error: exit 0 with created false and EINVAL', async () => {
    const r = await cli(
      'run',
      write('big.json', {
        ...base,
        guest: { vcpuIds: [0, 4096] },
        host: { processor: 'POWER8' },
        kvm: { design: 'aligned' },
      }),
    )
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).details.vcpus[1]).toMatchObject({
      id: 4096,
      created: false,
      error: 'EINVAL',
    })
  })
})

describe('lab export', () => {
  it('writes a trace and a CSV for a preset, and nothing for an invalid scenario', async () => {
    const trace = join(tmp, 'x.trace.json')
    const csv = join(tmp, 'x.csv')
    const ok = await cli('export', preset, '--trace', trace, '--csv', csv)
    expect(ok.code).toBe(0)
    expect(JSON.parse(readFileSync(trace, 'utf8')).traceEvents.length).toBeGreaterThan(10)
    expect(readFileSync(csv, 'utf8').startsWith('kind,at,')).toBe(true)
    const bad = join(tmp, 'bad-export.json')
    writeFileSync(bad, JSON.stringify({ schemaVersion: 1, name: 'x', engine: 'book3s' }))
    const never = join(tmp, 'never.trace.json')
    const r = await cli('export', bad, '--trace', never)
    expect(r.code).toBe(2)
    expect(existsSync(never)).toBe(false)
  })

  it('asks for at least one output', async () => {
    const r = await cli('export', preset)
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('export: give at least one of --svg, --png, --trace, --csv, --report\n')
  })
})

describe('lab presets', () => {
  it('lists every preset with its engine and design', async () => {
    const { code, stdout } = await cli('presets')
    expect(code).toBe(0)
    expect(stdout).toMatch(/^book3s-power8-aligned-vcores\s+book3s\s+aligned\s+POWER8/m)
    const json = JSON.parse((await cli('presets', '--json')).stdout)
    expect(json.find((p: { id: string }) => p.id === 'book3s-power8-aligned-vcores').engine).toBe(
      'book3s',
    )
  })
})
