/** `lab import` and `lab run --format`, as a script would use them. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli } from '../../support/cli'
import { PROJECT_ROOT, PRESETS_DIR } from '../../../src/services/paths'

const tmp = mkdtempSync(join(tmpdir(), 'lab-import-'))
const example = (f: string) => join(PROJECT_ROOT, 'docs', 'examples', f)

describe('lab import', () => {
  it('prints the scenario on stdout and the report on stderr, exit 0', async () => {
    const { code, stdout, stderr } = await cli('import', example('qemu-pseries-4.1-smt2.sh'))
    expect(code).toBe(0)
    const s = JSON.parse(stdout)
    expect([s.engine, s.host.processor, s.guest]).toEqual([
      'book3s',
      'POWER8',
      { vcpus: 8, threads: 2 },
    ])
    expect(stderr.split('\n')[0]).toBe('imported a book3s scenario from a QEMU command line')
    expect(stderr).toContain('ignored (not modelled):')
    expect(stderr).toContain('  -m = 8G: not part of the CPU model')
  })

  it('--out writes the scenario atomically, and lab run reads it back: the ids QEMU gives', async () => {
    const out = join(tmp, 'p8.json')
    expect(
      (await cli('import', example('qemu-pseries-4.1-smt2.sh'), '--out', out, '--quiet')).code,
    ).toBe(0)
    const run = await cli('run', out)
    expect(JSON.parse(run.stdout).details.vcpus.map((v: { id: number }) => v.id)).toEqual([
      0, 1, 8, 9, 16, 17, 24, 25,
    ])
  })

  it('exits 2 with one where: why line per problem, and writes nothing', async () => {
    const cfg = join(tmp, 'bad.cfg')
    writeFileSync(cfg, 'name = "x"\nvcpus = 4\nmaxvcpu = 8\n')
    const out = join(tmp, 'never.json')
    const { code, stdout, stderr } = await cli('import', cfg, '--out', out)
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toBe(
      'line 3, column 1: maxvcpu: not an option of xl.cfg(5) (did you mean "maxvcpus"?); remove it or correct its name\n',
    )
    expect(existsSync(out)).toBe(false)
  })

  it('--from forces a format; an unknown one and a bad --host-cores exit 2', async () => {
    const forced = await cli('import', example('xl-hvm-2-of-4.cfg'), '--from', 'qemu')
    expect(forced.code).toBe(2)
    expect((await cli('import', example('xl-hvm-2-of-4.cfg'), '--from', 'yaml')).stderr).toBe(
      '--from: must be one of "qemu", "libvirt", "xl" (got "yaml")\n',
    )
    expect((await cli('import', example('libvirt-pseries.xml'), '--host-cores', '0')).stderr).toBe(
      '--host-cores: must be an integer from 1 to 1024 (got "0")\n',
    )
  })

  it('--processor, --host-cores and --design fill what the configuration leaves open', async () => {
    const line = join(tmp, 'host.sh')
    writeFileSync(line, 'qemu-system-ppc64 -M pseries -accel kvm -cpu host -smp 4,threads=4\n')
    const { code, stdout } = await cli(
      'import',
      line,
      '--processor',
      'POWER9',
      '--host-cores',
      '2',
      '--design',
      'aligned',
      '--quiet',
    )
    expect(code).toBe(0)
    const s = JSON.parse(stdout)
    expect([s.host, s.kvm]).toEqual([
      { processor: 'POWER9', cores: 2 },
      { design: 'aligned', emulSmtMode: 4 },
    ])
  })
})

describe('lab run --format', () => {
  const xen = join(PRESETS_DIR, 'xen-pvhvm-xl-2-of-4-online.json')
  const p8 = join(PRESETS_DIR, 'book3s-power8-qemu-pseries-4-1-smt2.json')

  it('xl-vcpu-list prints every vCPU, offline ones as --p; --online-only leaves them out', async () => {
    const all = await cli('run', xen, '--format', 'xl-vcpu-list')
    expect(all.code).toBe(0)
    expect(all.stdout.split('\n').filter((l) => / --p +- /.test(l))).toHaveLength(2)
    const online = await cli('run', xen, '--format', 'xl-vcpu-list', '--online-only')
    expect(online.stdout.split('\n').filter((l) => / --p +- /.test(l))).toHaveLength(0)
  })

  it("ppc64-cpu-info and qemu-info-cpus print the tools' lines; --out writes them", async () => {
    const info = await cli('run', p8, '--format', 'ppc64-cpu-info')
    expect(info.stdout.startsWith('Core   0:    0*    1* \nCore   1:    2*    3* \n')).toBe(true)
    const out = join(tmp, 'cpus.txt')
    expect((await cli('run', p8, '--format', 'qemu-info-cpus', '--out', out)).code).toBe(0)
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('* CPU #0: thread_id=-')
  })

  it('an unknown format, or one of the other engine, exits 2', async () => {
    expect((await cli('run', xen, '--format', 'yaml')).stderr).toBe(
      '--format: must be json or one of "xl-vcpu-list", "ppc64-cpu-info", "qemu-info-cpus" (got "yaml")\n',
    )
    const other = await cli('run', xen, '--format', 'qemu-info-cpus')
    expect(other.code).toBe(2)
    expect(other.stderr).toBe(
      '--format: "qemu-info-cpus" shows a book3s run; this is a xen run: use "xl-vcpu-list"\n',
    )
  })
})
