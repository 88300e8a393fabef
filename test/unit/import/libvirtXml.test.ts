/** A libvirt domain XML as a book3s (ppc64 pseries under KVM) or xen scenario, and its refusals. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importConfig, importProblemLine } from '../../../src/shared/import'
import { parseScenario, type Scenario } from '../../../src/shared/scenario'
import { PROJECT_ROOT } from '../../../src/services/paths'

function scenarioOf(xml: string, opts = {}): Scenario {
  const out = importConfig(xml, opts)
  if (!out.ok) throw new Error(out.problems.map(importProblemLine).join('\n'))
  expect(out.report.format).toBe('libvirt')
  const parsed = parseScenario(out.scenario)
  if (!parsed.ok) throw new Error('not a valid scenario')
  return parsed.scenario
}

function problems(xml: string, opts = {}): string[] {
  const out = importConfig(xml, opts)
  if (out.ok) throw new Error('imported, but a refusal was expected')
  return out.problems.map(importProblemLine)
}

const example = (f: string) => readFileSync(join(PROJECT_ROOT, 'docs', 'examples', f), 'utf8')

const ppc = (body: string, os = `<type arch='ppc64le' machine='pseries'>hvm</type>`) =>
  `<domain type='kvm'><name>g</name>${body}<os>${os}</os></domain>`

describe('libvirt: a ppc64 pseries domain', () => {
  it("formatdomain's <vcpu current='1'>2</vcpu> with vcpu 0 enabled and 1 hotpluggable: one boot vcpu, id 0", () => {
    const s = scenarioOf(
      ppc(
        `<vcpu placement='static' cpuset='1-4,^3,6' current='1'>2</vcpu><vcpus><vcpu id='0' enabled='yes' hotpluggable='no' order='1'/><vcpu id='1' enabled='no' hotpluggable='yes'/></vcpus><cpu mode='custom'><model>POWER9</model></cpu>`,
      ),
    )
    expect(s.engine === 'book3s' && s.guest.vcpuIds).toEqual([0])
  })

  it('docs/examples/libvirt-pseries.xml: 4 of 8 vcpus online, cores of 2 threads: ids 0-3, KVM SMT mode 2 (libvirt sets no vsmt)', () => {
    const s = scenarioOf(example('libvirt-pseries.xml'))
    if (s.engine !== 'book3s') throw new Error('book3s expected')
    expect(s.guest.vcpuIds).toEqual([0, 1, 2, 3])
    expect(s.kvm.smtMode).toBe(2)
    expect(s.host.processor).toBe('POWER8')
  })

  it('an older machine type keeps vsmt 8: pseries-4.1 with threads 2 gives 0, 1, 8, 9', () => {
    const s = scenarioOf(
      ppc(
        `<vcpu>4</vcpu><cpu><model>POWER8</model><topology sockets='1' cores='2' threads='2'/></cpu>`,
        `<type arch='ppc64' machine='pseries-4.1'>hvm</type>`,
      ),
    )
    expect(s.engine === 'book3s' && s.guest.vcpuIds).toEqual([0, 1, 8, 9])
  })

  it('host-passthrough needs --processor', () => {
    expect(problems(ppc(`<vcpu>2</vcpu><cpu mode='host-passthrough'/>`))[0]).toMatch(
      /^\/domain\/cpu\/@mode \(host-passthrough\): .*--processor/,
    )
    expect(
      scenarioOf(ppc(`<vcpu>2</vcpu><cpu mode='host-passthrough'/>`), { processor: 'POWER9' })
        .engine,
    ).toBe('book3s')
  })
})

describe('libvirt: a Xen domain', () => {
  it('docs/examples/libvirt-xen-hvm.xml: an HVM domain of 4 vCPUs, 2 current, is a PVHVM guest with 2 of 4 online', () => {
    const s = scenarioOf(example('libvirt-xen-hvm.xml'))
    if (s.engine !== 'xen') throw new Error('xen expected')
    expect([s.guest.type, s.guest.maxVcpus, s.guest.onlineVcpus]).toEqual(['pvhvm', 4, 2])
    const out = importConfig(example('libvirt-xen-hvm.xml'))
    expect(out.ok && out.report.ignored.map((n) => n.option)).toEqual([
      '/domain/memory',
      '/domain/on_crash',
      '/domain/devices',
      '/domain/os/loader',
      '/domain/os/boot',
      '/domain/features/apic',
      '/domain/features/pae',
    ])
  })

  it('a PV domain (<type>xen</type>) reads nr_cpus from <cmdline>', () => {
    const s = scenarioOf(
      `<domain type='xen'><name>pv</name><vcpu>4</vcpu><os><type>xen</type><kernel>/boot/vmlinuz</kernel><cmdline>console=hvc0 nr_cpus=2</cmdline></os></domain>`,
    )
    if (s.engine !== 'xen') throw new Error('xen expected')
    expect([s.guest.type, s.guest.nrCpus]).toEqual(['pv', 2])
  })

  it('xenpvh maps to guest.type "pvh" on Xen 4.10 and Linux 4.11, the first with PVH', () => {
    const out = importConfig(
      `<domain type='xen'><name>p</name><vcpu>2</vcpu><os><type>xenpvh</type></os></domain>`,
    )
    expect(out.ok).toBe(true)
    if (!out.ok) return
    const doc = out.scenario as { guest: { type: string }; xen: unknown; linux: { era: string } }
    expect([doc.guest.type, doc.xen, doc.linux.era]).toEqual(['pvh', { version: '4.10' }, '4.11'])
  })
})

describe('libvirt: refusals name the element and what is allowed', () => {
  it('XML that is not well-formed: line and column', () => {
    expect(problems(`<domain type='kvm'>\n  <vcpu>2</vcpu>\n</domian>`)).toEqual([
      "line 3, column 1: not well-formed XML: Expected closing tag 'domain' (opened in line 1, col 1) instead of closing tag 'domian'.",
    ])
  })

  it('an unknown element, with the closest one', () => {
    expect(problems(ppc(`<vcpuu>2</vcpuu>`))).toContain(
      '/domain/vcpuu: not an element of a libvirt domain (did you mean "vcpu"?)',
    )
  })

  it('a bad value', () => {
    expect(problems(ppc(`<vcpu>two</vcpu>`))[0]).toBe(
      '/domain/vcpu: must be a whole number from 1 (got "two")',
    )
  })

  it('conflicting counts: topology against <vcpu>, current above it, enabled vCPUs that are not the first ones', () => {
    expect(
      problems(
        ppc(
          `<vcpu>8</vcpu><cpu><model>POWER8</model><topology sockets='1' cores='2' threads='2'/></cpu>`,
        ),
      )[0],
    ).toBe(
      '/domain/cpu/topology: sockets × dies × clusters × cores × threads (4) must equal the vCPUs of <vcpu> (8)',
    )
    expect(problems(ppc(`<vcpu current='4'>2</vcpu>`))[0]).toBe(
      '/domain/vcpu/@current: must be at most the vCPUs of <vcpu> (2) (got 4)',
    )
    expect(
      problems(
        ppc(
          `<vcpu current='1'>2</vcpu><vcpus><vcpu id='0' enabled='no'/><vcpu id='1' enabled='yes'/></vcpus>`,
        ),
      )[0],
    ).toMatch(/^\/domain\/vcpus: the enabled vCPUs must be 0 to 0 .*\(got 1\)$/)
  })

  it('what the model does not have: TCG, another architecture, an HVM domain without ACPI', () => {
    expect(
      problems(
        `<domain type='qemu'><vcpu>2</vcpu><os><type arch='ppc64'>hvm</type></os></domain>`,
      )[0],
    ).toMatch(/^\/domain\/@type: type "qemu" runs the guest under TCG/)
    expect(
      problems(
        `<domain type='kvm'><vcpu>2</vcpu><os><type arch='x86_64'>hvm</type></os></domain>`,
      )[0],
    ).toMatch(/^\/domain\/os\/type\/@arch: .*\(got "x86_64"\)$/)
    expect(
      problems(`<domain type='xen'><vcpu>2</vcpu><os><type>hvm</type></os></domain>`)[0],
    ).toMatch(/^\/domain\/features\/acpi: absent/)
  })
})
