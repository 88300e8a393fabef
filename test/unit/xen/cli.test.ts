/** `lab run` on xen scenarios: exit codes, and one `path: problem` line per invalid field. */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli } from '../../support/cli'
import { PRESETS_DIR } from '../../../src/services/paths'

const tmp = mkdtempSync(join(tmpdir(), 'lab-xen-cli-'))

function file(name: string, doc: unknown): string {
  const f = join(tmp, name)
  writeFileSync(f, JSON.stringify(doc))
  return f
}

const base = {
  schemaVersion: 1,
  name: 'x',
  engine: 'xen',
  guest: { type: 'pvhvm', maxVcpus: 4 },
  linux: { design: 'vcpu-id-mapping' },
}

describe('lab run (xen)', () => {
  it('runs the kdump preset: exit 0, cpu 0 on vCPU 2 online', async () => {
    const { code, stdout, stderr } = await cli(
      'run',
      join(PRESETS_DIR, 'xen-pvhvm-kdump-vcpu2-mapped.json'),
    )
    expect([code, stderr]).toEqual([0, ''])
    const r = JSON.parse(stdout)
    expect(r.details.cpus[0]).toEqual({
      cpu: 0,
      vcpu: 2,
      acpiId: 2,
      apicId: 4,
      state: 'online',
      reason: null,
    })
  })

  it('--design raw-cpu on the same preset is still a completed run (exit 0) whose cpu 0 failed', async () => {
    const { code, stdout } = await cli(
      'run',
      join(PRESETS_DIR, 'xen-pvhvm-kdump-vcpu2-mapped.json'),
      '--design',
      'raw-cpu',
    )
    expect(code).toBe(0)
    expect(JSON.parse(stdout).details.cpus[0].state).toBe('failed')
  })

  it('exits 2 naming guest.boot.crashedVcpu when it is not an online vCPU', async () => {
    const f = file('crash.json', {
      ...base,
      guest: { type: 'pvhvm', maxVcpus: 4, boot: { kind: 'kdump', crashedVcpu: 4 } },
    })
    const { code, stdout, stderr } = await cli('run', f)
    expect([code, stdout]).toEqual([2, ''])
    expect(stderr).toBe(
      'guest.boot.crashedVcpu: must be an online vCPU, from 0 to 3 (guest.onlineVcpus - 1) (got 4)\n',
    )
  })

  it('exits 2 naming guest.maxVcpus outside 1..4096', async () => {
    for (const max of [0, 4097]) {
      const { code, stderr } = await cli(
        'run',
        file(`max${max}.json`, { ...base, guest: { type: 'pvhvm', maxVcpus: max } }),
      )
      expect(code).toBe(2)
      expect(stderr).toBe(`guest.maxVcpus: must be an integer from 1 to 4096 (got ${max})\n`)
    }
  })

  it('exits 2 naming an unknown design, in the file or given with --design', async () => {
    const bad = await cli('run', file('design.json', { ...base, linux: { design: 'vcpu-ids' } }))
    expect(bad.code).toBe(2)
    expect(bad.stderr).toBe(
      'linux.design: must be one of "raw-cpu", "vcpu-id-mapping", "arm-smp-fix", "starting-cpu-hypercalls", "firmware-ids" (got "vcpu-ids")\n',
    )
    const flag = await cli('run', file('ok.json', base), '--design', 'mapped')
    expect(flag.code).toBe(2)
    expect(flag.stderr).toMatch(/^linux\.design: must be one of .* \(got "mapped"\)\n$/)
  })

  it('exits 2 for exit-mmap on a non-PV guest and a hot-added vCPU outside the domain', async () => {
    const f = file('steps.json', {
      ...base,
      workload: {
        steps: [
          { at: 1, cpu: 0, do: 'exit-mmap', lazyCpus: [1] },
          { at: 2, cpu: 0, do: 'vcpu-hot-add', vcpu: 4 },
        ],
      },
    })
    const { code, stderr } = await cli('run', f)
    expect(code).toBe(2)
    expect(stderr.trim().split('\n')).toEqual([
      'workload.steps[0].do: exit-mmap models the PV page-table unpin (xen_exit_mmap); HVM and ARM guests pin no page tables, so guest.type must be "pv" (got "exit-mmap")',
      'workload.steps[1].vcpu: must be a vCPU of the domain, from 0 to 3 (guest.maxVcpus - 1) (got 4)',
    ])
  })
})
