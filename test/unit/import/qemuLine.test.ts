/** A QEMU pseries command line as a book3s scenario: the ids QEMU gives, and every refusal. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importConfig, importProblemLine, type ImportOptions } from '../../../src/shared/import'
import { parseScenario, type Book3sScenario } from '../../../src/shared/scenario'
import { PROJECT_ROOT } from '../../../src/services/paths'

/** Imports and validates: the normalised scenario (every default filled in). */
function scenarioOf(line: string, opts: ImportOptions = {}): Book3sScenario {
  const out = importConfig(line, opts)
  if (!out.ok) throw new Error(out.problems.map(importProblemLine).join('\n'))
  const parsed = parseScenario(out.scenario)
  if (!parsed.ok || parsed.scenario.engine !== 'book3s')
    throw new Error('not a valid book3s scenario')
  return parsed.scenario
}

function problems(line: string, opts: ImportOptions = {}): string[] {
  const out = importConfig(line, opts)
  if (out.ok) throw new Error('imported, but a refusal was expected')
  return out.problems.map(importProblemLine)
}

const P8 = 'qemu-system-ppc64 -machine pseries,accel=kvm -cpu POWER8'

describe('QEMU: the vcpu ids spapr_vcpu_id gives', () => {
  it('-smp 8,threads=2 with vsmt=8 gives ids 0, 1, 8, 9, 16, 17, 24, 25 and leaves KVM in SMT mode 8', () => {
    const s = scenarioOf(
      'qemu-system-ppc64 -M pseries,vsmt=8 -accel kvm -cpu POWER8 -smp 8,threads=2',
    )
    expect(s.guest.vcpuIds).toEqual([0, 1, 8, 9, 16, 17, 24, 25])
    expect(s.kvm.smtMode).toBe(8)
  })

  it("the manual's -smp 8,sockets=2,cores=2,threads=2,maxcpus=8 on the current pseries: vsmt = threads = 2, ids 0-7, KVM SMT mode 2 (so kernel 4.13 or later)", () => {
    const s = scenarioOf(`${P8} -smp 8,sockets=2,cores=2,threads=2,maxcpus=8`)
    expect(s.guest.vcpuIds).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(s.kvm.smtMode).toBe(2)
    expect(s.kvm.kernel).toBe('4.13')
  })

  it('pseries-4.1 without vsmt takes MAX(8, threads): -smp 4,threads=2 gives 0, 1, 8, 9; pseries-4.2 gives 0-3', () => {
    const old = scenarioOf(
      'qemu-system-ppc64 -M pseries-4.1 -enable-kvm -cpu POWER8 -smp 4,threads=2',
    )
    const cur = scenarioOf(
      'qemu-system-ppc64 -M pseries-4.2 -enable-kvm -cpu POWER8 -smp 4,threads=2',
    )
    expect(old.guest.vcpuIds).toEqual([0, 1, 8, 9])
    expect(cur.guest.vcpuIds).toEqual([0, 1, 2, 3])
  })

  it('threads left out are computed last from maxcpus / (sockets × cores): -smp 8,sockets=2,cores=2 has 2 threads', () => {
    const s = scenarioOf(`${P8} -smp 8,sockets=2,cores=2`)
    expect(s.guest.vcpuIds).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(s.kvm.smtMode).toBe(2)
  })

  it('-smp 8 alone is 8 one-thread cores: vsmt 1 on the current machine, ids 0-7 in vcores of one', () => {
    const s = scenarioOf(`${P8} -smp 8`)
    expect(s.guest.vcpuIds).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(s.kvm.smtMode).toBe(1)
  })

  it('POWER9: vsmt becomes the emulated SMT mode (-smp 4,threads=4, vsmt=8: ids 0-3, emulSmtMode 8, smtMode 1)', () => {
    const s = scenarioOf(
      'qemu-system-ppc64 -M pseries,vsmt=8 -accel kvm -cpu POWER9 -smp 8,threads=4',
    )
    expect(s.guest.vcpuIds).toEqual([0, 1, 2, 3, 8, 9, 10, 11])
    expect(s.kvm.emulSmtMode).toBe(8)
    expect(s.kvm.smtMode).toBe(1)
  })

  it('POWER7 refuses SMT mode 8; QEMU goes on with KVM mode 4 and ids still 8 apart (pseries-4.1, threads=2)', () => {
    const s = scenarioOf(
      'qemu-system-ppc64 -M pseries-4.1 -enable-kvm -cpu POWER7 -smp 4,threads=2',
    )
    expect(s.guest.vcpuIds).toEqual([0, 1, 8, 9])
    expect(s.kvm.smtMode).toBe(4)
  })

  it('-cpu host (or no -cpu) needs --processor; the report says the processor was given', () => {
    expect(problems('qemu-system-ppc64 -M pseries -enable-kvm -smp 2')[0]).toMatch(
      /^-cpu \(absent: host under KVM\): .*--processor POWER7, POWER8 or POWER9/,
    )
    const out = importConfig('qemu-system-ppc64 -M pseries -enable-kvm -cpu host -smp 2', {
      processor: 'POWER8',
    })
    expect(
      out.ok &&
        out.report.assumed.some((n) => n.field === 'host.processor' && n.value === 'POWER8'),
    ).toBe(true)
  })

  it('backslash continuations, a comment line, sudo before the binary, a disk image: one command', () => {
    const s = scenarioOf(
      `# guest\nsudo qemu-system-ppc64 \\\n  -M pseries -accel kvm \\\n  -cpu POWER8 -smp 2 disk.img`,
    )
    expect(s.guest.vcpuIds).toEqual([0, 1])
  })

  it('reports the options the model does not use as ignored, with why', () => {
    const out = importConfig(
      `${P8} -smp 2 -m 4G -nographic -drive file=a.qcow2,if=virtio -machine cap-htm=off`,
    )
    expect(out.ok).toBe(true)
    if (!out.ok) return
    expect(out.report.ignored.map((n) => n.option)).toEqual([
      '-m',
      '-nographic',
      '-drive',
      '-machine cap-htm',
    ])
  })

  it('--design NAME@RELEASE sets the design and the kernel, and the validation refuses a kernel without KVM_CAP_PPC_SMT', () => {
    const s = scenarioOf('qemu-system-ppc64 -M pseries-4.1 -enable-kvm -cpu POWER8 -smp 2', {
      design: 'piggyback@4.8',
    })
    expect([s.kvm.design, s.kvm.kernel, s.kvm.smtMode]).toEqual(['piggyback', '4.8', 8])
    // The current machine type asks KVM for SMT mode 1, which 4.8 cannot set.
    expect(problems(`${P8} -smp 2`, { design: 'piggyback@4.8' })).toEqual([
      'scenario kvm.kernel: an SMT mode below threads per subcore (KVM_CAP_PPC_SMT, 3c313524) first runs in 4.13; must be "4.13" or later (got "4.8")',
    ])
  })
})

describe('QEMU: refusals name the option and what is allowed', () => {
  it('an unknown option, with the closest one', () => {
    expect(problems(`${P8} -smpp 8`)).toEqual([
      '-smpp: not a QEMU option this import knows (did you mean "smp"?); remove it or correct it',
    ])
  })

  it('a bad value', () => {
    expect(problems(`${P8} -smp 8,threads=two`)).toEqual([
      '-smp threads: must be a whole number (got "two")',
    ])
    expect(problems(`${P8} -smp 8,thread=2`)[0]).toMatch(
      /^-smp thread: not a -smp parameter \(did you mean "threads"\?\)/,
    )
  })

  it('conflicting counts: the topology product, maxcpus below cpus, cpus not a multiple of threads, vsmt below threads, threads not a power of two', () => {
    expect(problems(`${P8} -smp 6,threads=4`)[0]).toBe(
      '-smp: sockets (1) * cores (1) * threads (4) must equal maxcpus (6) (QEMU: "Invalid CPU topology") (got "6,threads=4")',
    )
    expect(problems(`${P8} -smp 8,maxcpus=4,cores=2,threads=2`)[0]).toMatch(
      /maxcpus \(4\) must be at least cpus \(8\)/,
    )
    expect(problems(`${P8} -smp 2,maxcpus=8,cores=2,threads=4`)[0]).toBe(
      '-smp: the boot vcpus (2) must be a multiple of the threads per core (4) (spapr_init_cpus)',
    )
    expect(problems(`${P8.replace('accel=kvm', 'accel=kvm,vsmt=1')} -smp 4,threads=2`)[0]).toBe(
      '-machine vsmt: vsmt must be at least the threads per core, 2 (spapr_set_vsmt_mode) (got 1)',
    )
    expect(problems(`${P8} -smp 6,threads=3`)[0]).toMatch(/threads must be a power of two/)
  })

  it('no KVM: TCG is not KVM HV', () => {
    expect(problems('qemu-system-ppc64 -M pseries -cpu POWER8 -smp 2')).toEqual([
      '-accel: no -accel kvm (or -enable-kvm): QEMU would run the guest under TCG, which is not KVM HV; add -accel kvm',
    ])
    expect(problems('qemu-system-ppc64 -M pseries -accel tcg -cpu POWER8')[0]).toMatch(
      /first accelerator, "tcg"/,
    )
  })

  it('what the model does not have: another machine, another CPU, compat mode, cores added by -device, kvm-type=PR', () => {
    expect(problems('qemu-system-ppc64 -M powernv -enable-kvm -cpu POWER8')[0]).toMatch(
      /^-machine powernv: /,
    )
    expect(problems('qemu-system-ppc64 -M pseries -enable-kvm -cpu POWER10')[0]).toMatch(
      /^-cpu POWER10: /,
    )
    expect(
      problems('qemu-system-ppc64 -M pseries,max-cpu-compat=power8 -enable-kvm -cpu POWER9')[0],
    ).toMatch(/^-machine max-cpu-compat: /)
    expect(problems(`${P8} -device POWER8_v2.0-spapr-cpu-core,core-id=8`)[0]).toMatch(
      /^-device POWER8_v2.0-spapr-cpu-core: /,
    )
    expect(problems('qemu-system-ppc64 -M pseries,kvm-type=PR -enable-kvm -cpu POWER8')[0]).toMatch(
      /^-machine kvm-type: /,
    )
  })

  it('what a shell would decide: a variable, an operator, a second command, another architecture', () => {
    expect(problems(`${P8} -smp $CPUS`)[0]).toMatch(/^\$CPUS: a shell variable/)
    expect(problems(`${P8} -smp 2 | tee log`)[0]).toMatch(/^"\|": a shell operator/)
    expect(problems(`${P8} -smp 2\nqemu-img info a.qcow2`)[0]).toMatch(/^line 2: a second command/)
    expect(problems('qemu-system-x86_64 -enable-kvm -smp 2')[0]).toMatch(/^qemu-system-x86_64: /)
  })
})

describe('QEMU: the examples in docs/examples', () => {
  const example = (f: string) => readFileSync(join(PROJECT_ROOT, 'docs', 'examples', f), 'utf8')

  it('pseries-4.1: vsmt 8, ids 8 apart; the current pseries: vsmt 2, ids 0-7', () => {
    expect(scenarioOf(example('qemu-pseries-4.1-smt2.sh')).guest.vcpuIds).toEqual([
      0, 1, 8, 9, 16, 17, 24, 25,
    ])
    expect(scenarioOf(example('qemu-pseries-smt2.sh')).guest.vcpuIds).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7,
    ])
  })
})
