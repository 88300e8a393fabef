/** The command line as a script would use it: exit codes, stdout, stderr, files written or not. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../../src/cli/cli'
import { cli } from '../../support/cli'
import { PRESETS_DIR } from '../../../src/services/paths'
import { eventsToCsv } from '../../../src/shared/export/csv'
import { toPerfetto } from '../../../src/shared/export/perfetto'
import { readPerfetto } from '../../support/perfettoRead'
import { traceJson } from '../../../src/shared/export/trace'
import { presetRun } from '../../support/presetRuns'

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
    expect(stderr).toBe(
      'kvm.design: must be one of "first-come", "aligned", "piggyback", "dynamic-micro-threading" (got "fcfs")\n',
    )
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

  it('writes the Chrome trace, the Perfetto trace and the CSV as the shared writers make them', async () => {
    const trace = join(tmp, 'y.trace.json')
    const pf = join(tmp, 'y.pftrace')
    const csv = join(tmp, 'y.csv')
    const r = await cli('export', preset, '--trace', trace, '--perfetto', pf, '--csv', csv)
    expect(r.code).toBe(0)
    const run = presetRun('book3s-power8-aligned-vcores')
    expect(readFileSync(trace, 'utf8')).toBe(`${traceJson(run)}\n`)
    // The Perfetto trace deflated into compressed_packets: what the shared writer's packets read as.
    const written = readPerfetto(new Uint8Array(readFileSync(pf)))
    expect(written.bundles).toBeGreaterThan(0)
    expect(written).toEqual({ ...readPerfetto(toPerfetto(run)), bundles: written.bundles })
    expect(readFileSync(csv, 'utf8')).toBe(eventsToCsv(run))
  })

  it('on a terminal, says how much is written and clears the line after', async () => {
    let stderr = ''
    const code = await runCli(['export', preset, '--perfetto', join(tmp, 'z.pftrace')], {
      stdout: () => undefined,
      stderr: (t) => (stderr += t),
      stderrIsTty: true,
    })
    expect(code).toBe(0)
    expect(stderr).not.toContain('\n')
    expect(stderr.endsWith('\r\x1b[K')).toBe(true)
  })

  it('asks for at least one output', async () => {
    const r = await cli('export', preset)
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(
      'export: give at least one of --svg, --png, --trace, --perfetto, --csv, --report\n',
    )
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

describe('lab compare', () => {
  const random = join(PRESETS_DIR, 'book3s-power8-random-doorbells.json')

  it('prints the metrics and checks that differ between first-come and aligned', async () => {
    const r = await cli('compare', random, '--design', 'first-come', '--design', 'aligned')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /^POWER8 under load.*: first-come \(kernel 3\.13\) vs aligned \(kernel 3\.14\)$/m,
    )
    expect(r.stdout).toMatch(
      /doorbells misdelivered to another vcpu +first-come: [1-9][\d,]* +aligned: 0 doorbells/,
    )
    expect(r.stdout).toContain('no-misdelivered-doorbell: first-come FAILS, aligned holds')
  })

  it('writes the comparison as JSON with --out', async () => {
    const out = join(tmp, 'cmp.json')
    const r = await cli(
      'compare',
      random,
      '--design',
      'first-come',
      '--design',
      'aligned',
      '--out',
      out,
    )
    expect(r.code).toBe(0)
    const doc = JSON.parse(readFileSync(out, 'utf8'))
    expect(doc.designs).toEqual(['first-come', 'aligned'])
    expect(doc.checks.find((c: { id: string }) => c.id === 'no-misdelivered-doorbell').change).toBe(
      'verdict',
    )
  })

  it('needs two designs, each valid for the engine', async () => {
    expect((await cli('compare', random, '--design', 'aligned')).code).toBe(2)
    const bad = await cli('compare', random, '--design', 'aligned', '--design', 'fcfs')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toBe(
      'kvm.design: must be one of "first-come", "aligned", "piggyback", "dynamic-micro-threading" (got "fcfs")\n',
    )
  })
})

describe('lab sweep', () => {
  const random = join(PRESETS_DIR, 'book3s-power8-random-doorbells.json')

  it('runs each design over the range on workers and charts the metric', async () => {
    const svg = join(tmp, 'sweep.svg')
    const json = join(tmp, 'sweep.json')
    const r = await cli(
      'sweep',
      random,
      '--vary',
      'guest.vcpus=2..6:2',
      '--design',
      'first-come',
      '--design',
      'aligned',
      '--svg',
      svg,
      '--json',
      json,
    )
    expect(r.code).toBe(0)
    const doc = JSON.parse(readFileSync(json, 'utf8'))
    const at = (d: string, v: number) =>
      doc.points.find((p: { design: string; value: number }) => p.design === d && p.value === v)
        .metric
    expect([at('aligned', 2), at('aligned', 4), at('aligned', 6)]).toEqual([0, 0, 0])
    expect(at('first-come', 4)).toBeGreaterThan(0)
    expect(r.stdout.split('\n')[1]).toMatch(/guest\.vcpus +first-come +aligned/)
    const text = readFileSync(svg, 'utf8')
    expect(text.startsWith('<svg')).toBe(true)
    expect(text).toContain('doorbells misdelivered to another vcpu against guest.vcpus')
  })

  it('marks variants the schema refuses and goes on', async () => {
    const r = await cli(
      'sweep',
      random,
      '--vary',
      'kvm.smtMode=2..4',
      '--design',
      'aligned',
      '--metric',
      'doorbells',
    )
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^ +3 +invalid$/m)
    expect(r.stdout).toContain('aligned kvm.smtMode=3: kvm.smtMode: must be a power of two')
  })

  it('refuses a malformed range and an unknown metric', async () => {
    const bad = await cli('sweep', random, '--vary', 'guest.vcpus=9..2')
    expect([bad.code, bad.stderr]).toEqual([2, '--vary: the range must go up (got 9..2)\n'])
    const metric = await cli('sweep', random, '--vary', 'guest.vcpus=2..3', '--metric', 'nope')
    expect(metric.code).toBe(2)
    expect(metric.stderr).toMatch(/^--metric: the run has no metric "nope"; it has vcpusCreated, /)
  })
})

describe('the user’s errors are exit 2 with the path and the reason (issue 19, item 5)', () => {
  it('--out naming a folder, or a folder that does not exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-out-'))
    const folder = await cli('run', preset, '--out', dir)
    expect(folder.code).toBe(2)
    expect(folder.stderr).toBe(`${dir} is a folder: give a file name\n`)
    const missing = await cli('run', preset, '--out', join(dir, 'nope', 'r.json'))
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/nope\/r\.json: cannot write \(its folder does not exist\)\n$/)
  })

  it('reads a file with a UTF-8 BOM, and gives line and column for broken JSON with its control characters escaped', async () => {
    const bom = join(tmp, 'bom.json')
    writeFileSync(bom, '\ufeff' + readFileSync(preset, 'utf8'))
    expect((await cli('run', bom)).code).toBe(0)
    const cut = join(tmp, 'cut.json')
    writeFileSync(cut, '{\n  "schemaVersion": 1,\n  "name": "x\u0001')
    const r = await cli('run', cut)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/not valid JSON: .*\(line 3, column \d+\)\n$/)
    expect(r.stderr).not.toContain('\u0001')
  })
})

describe('lab run | head', () => {
  it('stops quietly when the reader goes away (EPIPE), with no stack on stderr', async () => {
    const { spawn } = await import('node:child_process')
    const big = join(PRESETS_DIR, 'book3s-power8-random-doorbells.json')
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', big], {
      cwd: join(PRESETS_DIR, '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (c) => (stderr += c))
    child.stdout.once('data', () => child.stdout.destroy())
    const code = await new Promise<number | null>((r) => child.on('exit', r))
    expect(stderr).toBe('')
    expect(code).toBe(0)
  }, 30_000)
})
