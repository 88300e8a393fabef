/** An xl.cfg as a xen scenario: xl.cfg(5)'s syntax and options, and every refusal with its line. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importConfig, importProblemLine, parseXlCfg } from '../../../src/shared/import'
import { parseScenario, type XenScenario } from '../../../src/shared/scenario'
import { PROJECT_ROOT } from '../../../src/services/paths'

function scenarioOf(cfg: string): XenScenario {
  const out = importConfig(cfg)
  if (!out.ok) throw new Error(out.problems.map(importProblemLine).join('\n'))
  const parsed = parseScenario(out.scenario)
  if (!parsed.ok || parsed.scenario.engine !== 'xen') throw new Error('not a valid xen scenario')
  return parsed.scenario
}

function problems(cfg: string, opts = {}): string[] {
  const out = importConfig(cfg, opts)
  if (out.ok) throw new Error('imported, but a refusal was expected')
  return out.problems.map(importProblemLine)
}

const example = (f: string) => readFileSync(join(PROJECT_ROOT, 'docs', 'examples', f), 'utf8')

describe('xl.cfg: syntax (xl.cfg(5) SYNTAX)', () => {
  it("the manual's two forms, newline and semicolon, read the same", () => {
    const a = parseXlCfg('name="h0"\ntype="hvm"\n')
    const b = parseXlCfg('name="h0"; type="hvm"')
    expect(a.ok && a.settings.map((s) => [s.key, s.value.kind === 'atom' && s.value.text])).toEqual(
      [
        ['name', 'h0'],
        ['type', 'hvm'],
      ],
    )
    expect(b.ok && b.settings.map((s) => s.key)).toEqual(['name', 'type'])
  })

  it('numbers in decimal, octal (leading 0) and hexadecimal (0x); strings in either quotes with C escapes; nested lists with a trailing comma', () => {
    const s = scenarioOf(
      'name = \'a\\x62c\'\nvcpus = 010\nmaxvcpus = 0x10\ndisk = [ "a", [ "b", 1 ], ]',
    )
    expect([s.name, s.guest.onlineVcpus, s.guest.maxVcpus]).toEqual(['abc', 8, 16])
  })

  it('+= appends to a list', () => {
    const p = parseXlCfg('vif = [ "a" ]\nvif += [ "b" ]')
    expect(p.ok && p.settings[0]!.value.kind === 'list' && p.settings[0]!.value.items.length).toBe(
      2,
    )
  })

  it('syntax errors name the line and column', () => {
    expect(problems('name = "web1\nvcpus = 2')).toEqual([
      'line 1, column 8: string not closed: a " before the end of the line',
    ])
    expect(problems('name = "a"\nvcpus 2')).toEqual([
      'line 2, column 7: expected "=" after "vcpus" but found "2"',
    ])
    expect(problems('vif = [ "a" "b" ]')).toEqual([
      'line 1, column 13: expected "," or "]" in the list opened at line 1, column 7, but found "b"',
    ])
  })
})

describe('xl.cfg: the guest (xl_parse)', () => {
  it('docs/examples/xl-hvm-2-of-4.cfg: type "hvm", vcpus 2, maxvcpus 4 is a PVHVM guest with vCPUs 0-1 online and 2-3 offline', () => {
    const out = importConfig(example('xl-hvm-2-of-4.cfg'))
    if (!out.ok) throw new Error('import failed')
    expect(out.scenario.guest).toEqual({ type: 'pvhvm', maxVcpus: 4, onlineVcpus: 2 })
    expect(out.report.ignored.map((n) => n.option)).toEqual([
      'memory',
      'vif',
      'disk',
      'vnc',
      'on_crash',
    ])
  })

  it('docs/examples/xl-pv-nr-cpus.cfg: a PV guest whose extra= says nr_cpus=2; root= and console= are listed as ignored', () => {
    const out = importConfig(example('xl-pv-nr-cpus.cfg'))
    if (!out.ok) throw new Error('import failed')
    expect(out.scenario.guest).toEqual({ type: 'pv', maxVcpus: 4, onlineVcpus: 4, nrCpus: 2 })
    expect(out.report.ignored.find((n) => n.option === 'extra')?.value).toBe(
      'root=/dev/xvda1 console=hvc0',
    )
  })

  it('without type or builder an x86 guest is PV with 1 vCPU; builder="hvm" is HVM', () => {
    expect(scenarioOf('name = "x"').guest).toMatchObject({
      type: 'pv',
      maxVcpus: 1,
      onlineVcpus: 1,
    })
    expect(scenarioOf('name = "x"\nbuilder = "hvm"\nvcpus = 2').guest.type).toBe('pvhvm')
  })

  it('cmdline wins over root= and extra=, as xl.cfg(5) says; xen.fifo_events=0 keeps the 2-level ABI', () => {
    const s = scenarioOf(
      'name = "x"\nvcpus = 4\nextra = "nr_cpus=1"\ncmdline = "nr_cpus=3 xen.fifo_events=0"',
    )
    expect([s.guest.nrCpus, s.guest.eventChannels]).toEqual([3, '2l'])
  })

  it('an Arm-only option (gic_version) makes an Arm guest, PVH as xl on Arm builds it', () => {
    expect(scenarioOf('name = "a"\nvcpus = 2\ngic_version = "v3"').guest.type).toBe('arm')
  })

  it('type="pvh" maps to guest.type "pvh" on the first Xen and Linux with PVH, 4.10 and 4.11', () => {
    const out = importConfig('name = "p"\ntype = "pvh"\nvcpus = 2')
    expect(out.ok).toBe(true)
    if (!out.ok) return
    const doc = out.scenario as { guest: { type: string }; xen: unknown; linux: unknown }
    expect(doc.guest.type).toBe('pvh')
    expect(doc.xen).toEqual({ version: '4.10' })
    expect(doc.linux).toEqual({ design: 'vcpu-id-mapping', era: '4.11' })
    // A later era given with the design is kept.
    const later = importConfig('name = "p"\ntype = "pvh"\nvcpus = 2', {
      design: 'vcpu-id-mapping@5.10',
    })
    expect(later.ok && (later.scenario as { linux: unknown }).linux).toEqual({
      design: 'vcpu-id-mapping',
      era: '5.10',
    })
  })

  it('--xen-version and --design@era are set; --processor is refused on a Xen guest', () => {
    const out = importConfig('name = "x"\nvcpus = 2', { xenVersion: '4.18', design: 'raw-cpu@4.9' })
    expect(out.ok && [out.scenario.xen, out.scenario.linux]).toEqual([
      { version: '4.18' },
      { design: 'raw-cpu', era: '4.9' },
    ])
    expect(problems('name = "x"', { processor: 'POWER8' })).toEqual([
      '--processor: applies to a KVM on POWER guest; this configuration is a xen guest: remove it',
    ])
  })
})

describe('xl.cfg: refusals name the option, its line and what is allowed', () => {
  it('an unknown option, with the closest one (event_channels is max_event_channels)', () => {
    expect(problems('name = "x"\nmaxvcpu = 4')).toEqual([
      'line 2, column 1: maxvcpu: not an option of xl.cfg(5) (did you mean "maxvcpus"?); remove it or correct its name',
    ])
    expect(problems('event_channels = 1023')[0]).toMatch(
      /^line 1, column 1: event_channels: .*did you mean "max_event_channels"/,
    )
  })

  it('a bad value', () => {
    expect(problems('vcpus = "four"')).toEqual([
      'line 1, column 1: vcpus: must be a whole number from 1 (got "four")',
    ])
    expect(problems('type = "hvm2"')).toEqual([
      'line 1, column 1: type: must be "pv", "pvh" or "hvm" (got "hvm2")',
    ])
    expect(problems('vcpus = [ 2 ]')).toEqual([
      'line 1, column 1: vcpus: must be a single value, not a list',
    ])
  })

  it('conflicting counts and options: maxvcpus below vcpus, a key set twice, builder against type', () => {
    expect(problems('vcpus = 4\nmaxvcpus = 2')).toEqual([
      'maxvcpus (line 2): the most vCPUs (2) must be at least the vCPUs online at boot (4)',
    ])
    expect(problems('vcpus = 4\nvcpus = 2')).toEqual([
      'line 2, column 1: vcpus: set twice (first at line 1); give it once',
    ])
    expect(problems('type = "pv"\nbuilder = "hvm"')[0]).toMatch(
      /^line 2, column 1: builder: contradicts type="pv"/,
    )
  })

  it('what the model does not have: acpi=0 on HVM, the PV shim, kernel parameters that change the CPUs Linux brings up', () => {
    expect(problems('type = "hvm"\nacpi = 0')[0]).toMatch(
      /^line 2, column 1: acpi: acpi=0 leaves Linux without the MADT/,
    )
    expect(problems('type = "pvh"\npvshim = 1')[0]).toMatch(/^line 2, column 1: pvshim: /)
    expect(problems('extra = "maxcpus=1"')[0]).toMatch(/^extra maxcpus=1: maxcpus= limits/)
    expect(problems('type = "hvm"\ncmdline = "xen_nopv"')[0]).toMatch(/^cmdline xen_nopv: /)
    expect(problems('extra = "nr_cpus=lots"')[0]).toBe(
      'extra nr_cpus=lots: nr_cpus must be a whole number from 1 (got "lots")',
    )
  })
})

describe('xl.cfg on Arm: gic_version', () => {
  it('v2 becomes guest.gic, which bounds the vCPUs; native is the host’s and left to the default', () => {
    const v2 = importConfig('name = "a"\ngic_version = "v2"\nvcpus = 16')
    expect(v2.ok && (v2.scenario as { guest: unknown }).guest).toMatchObject({
      type: 'arm',
      gic: 'v2',
    })
    const native = importConfig('name = "a"\ngic_version = "native"\nvcpus = 2')
    expect(native.ok && (native.scenario as { guest: { gic?: string } }).guest.gic).toBeUndefined()
    const bad = importConfig('name = "a"\ngic_version = "v4"\nvcpus = 2')
    expect(!bad.ok && bad.problems.map(importProblemLine)).toEqual([
      'line 2, column 1: gic_version: must be "v2", "v3" or "native" (got "v4")',
    ])
  })
})
