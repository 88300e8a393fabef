import { describe, expect, it } from 'vitest'
import {
  defaultIdBeforeSet,
  parseScenario,
  problemLine,
  withDesign,
  type Book3sScenario,
  type XenScenario,
} from '../../../src/shared/scenario'

const book3s = (over: Record<string, unknown> = {}) => ({
  schemaVersion: 1,
  name: 'b',
  engine: 'book3s',
  host: { processor: 'POWER8', cores: 2 },
  kvm: { design: 'aligned' },
  guest: { vcpus: 4 },
  ...over,
})
const xen = (over: Record<string, unknown> = {}) => ({
  schemaVersion: 1,
  name: 'x',
  engine: 'xen',
  guest: { type: 'pvhvm', maxVcpus: 4 },
  linux: { design: 'vcpu-id-mapping' },
  ...over,
})

function lines(input: unknown): string[] {
  const r = parseScenario(input)
  if (r.ok) throw new Error('expected problems')
  return r.problems.map(problemLine)
}

function ok<T>(input: unknown): T {
  const r = parseScenario(input)
  if (!r.ok) throw new Error(r.problems.map(problemLine).join('\n'))
  return r.scenario as T
}

describe('the scenario schema: problems name the field and what is allowed', () => {
  it('words the docs/scenario.md example exactly', () => {
    expect(lines(xen({ guest: { type: 'pvhvm', maxVcpus: 0 } }))).toEqual([
      'guest.maxVcpus: must be an integer from 1 to 4096 (got 0)',
    ])
  })

  it('refuses a document that is not an object', () => {
    expect(lines([1, 2])).toEqual(['a scenario must be a JSON object'])
  })

  it('checks schemaVersion', () => {
    expect(lines(book3s({ schemaVersion: 2 }))).toEqual([
      'schemaVersion: must be 1: this lab reads scenario schema version 1 only (got 2)',
    ])
    const missing = book3s()
    delete (missing as Record<string, unknown>).schemaVersion
    expect(lines(missing)).toEqual(['schemaVersion: is required; must be 1'])
  })

  it('names an unknown engine with the allowed values', () => {
    expect(lines(book3s({ engine: 'kvm' }))).toEqual([
      'engine: must be one of "book3s", "xen" (got "kvm")',
    ])
  })

  it('reports an unknown field with the fields allowed there', () => {
    expect(lines(book3s({ host: { processor: 'POWER8', cpus: 2 } }))).toEqual([
      'host.cpus: unknown field; allowed fields here: processor, cores, subcoresPerCore, hz',
    ])
  })

  it('reports every problem at once, with array indices in the path', () => {
    const l = lines(
      book3s({
        host: { processor: 'POWER10' },
        kvm: { design: 'aligned', nrCpus: 0 },
        workload: { steps: [{ at: -1, vcpu: 0, do: 'run' }] },
      }),
    )
    expect(l).toEqual([
      'host.processor: must be one of "POWER7", "POWER8", "POWER9" (got "POWER10")',
      'kvm.nrCpus: must be an integer from 1 to 8192 (got 0)',
      'workload.steps[0].at: must be an integer from 0 to 1000000000000 (got -1)',
    ])
  })

  it('says a required field is missing', () => {
    expect(lines(xen({ linux: {} }))).toEqual([
      'linux.design: is required; must be one of "raw-cpu", "vcpu-id-mapping", "arm-smp-fix", "starting-cpu-hypercalls", "firmware-ids"',
    ])
  })
})

describe('book3s part', () => {
  it('fills the defaults: cores, subcores, smtMode = threads per subcore, nrCpus 2048, vcpus → ids', () => {
    const s = ok<Book3sScenario>(
      book3s({ host: { processor: 'POWER8', subcoresPerCore: 4 }, guest: { vcpus: 3 } }),
    )
    expect(s.host).toEqual({ processor: 'POWER8', cores: 1, subcoresPerCore: 4, hz: 100 })
    expect(s.kvm).toEqual({
      design: 'aligned',
      kernel: '3.16',
      smtMode: 2,
      emulSmtMode: 1,
      nrCpus: 2048,
      indepThreadsMode: null,
      doorbellMasks: '2018',
    })
    expect(s.guest.vcpuIds).toEqual([0, 1, 2])
    expect(s.seed).toBe(1)
    expect(s.description).toBe('')
    // No workload: every vcpu enters KVM_RUN at tick 0.
    expect(s.workload).toEqual({
      steps: [
        { at: 0, vcpu: 0, do: 'run' },
        { at: 0, vcpu: 1, do: 'run' },
        { at: 0, vcpu: 2, do: 'run' },
      ],
      until: 1000,
      random: null,
    })
  })

  it('defaults smtMode to 1 on POWER9 and 4 on POWER7', () => {
    expect(ok<Book3sScenario>(book3s({ host: { processor: 'POWER9' } })).kvm.smtMode).toBe(1)
    expect(ok<Book3sScenario>(book3s({ host: { processor: 'POWER7' } })).kvm.smtMode).toBe(4)
  })

  it('follows kvmhv_set_smt_mode: power of two, at most threads per subcore', () => {
    expect(lines(book3s({ kvm: { design: 'aligned', smtMode: 3 } }))[0]).toMatch(
      /^kvm\.smtMode: must be a power of two from 1 to 8 .*-EINVAL \(kvmhv_set_smt_mode @3c313524\) \(got 3\)$/,
    )
    expect(
      lines(
        book3s({
          host: { processor: 'POWER8', subcoresPerCore: 2 },
          kvm: { design: 'aligned', smtMode: 8 },
        }),
      )[0],
    ).toMatch(/^kvm\.smtMode: must be a power of two from 1 to 4 /)
    expect(ok<Book3sScenario>(book3s({ kvm: { design: 'aligned', smtMode: 2 } })).kvm.smtMode).toBe(
      2,
    )
  })

  it('allows split-core only on POWER8 and emulSmtMode only on POWER9', () => {
    expect(lines(book3s({ host: { processor: 'POWER7', subcoresPerCore: 2 } }))[0]).toMatch(
      /^host\.subcoresPerCore: static split-core exists only on POWER8/,
    )
    expect(lines(book3s({ host: { processor: 'POWER8', subcoresPerCore: 3 } }))[0]).toBe(
      'host.subcoresPerCore: must be one of 1, 2, 4 (got 3)',
    )
    expect(lines(book3s({ kvm: { design: 'aligned', emulSmtMode: 4 } }))[0]).toMatch(
      /^kvm\.emulSmtMode: applies only to POWER9/,
    )
    expect(
      ok<Book3sScenario>(
        book3s({ host: { processor: 'POWER9' }, kvm: { design: 'aligned', emulSmtMode: 8 } }),
      ).kvm.emulSmtMode,
    ).toBe(8)
  })

  it('keeps first-come to what the 2013 code could run', () => {
    expect(
      lines(book3s({ host: { processor: 'POWER9' }, kvm: { design: 'first-come' } }))[0],
    ).toMatch(/first-come is the 2013 code, which predates POWER9/)
  })

  it('checks steps against the guest: known vcpu, tag only and always on msgsndp, within until', () => {
    const l = lines(
      book3s({
        guest: { vcpuIds: [9, 10] },
        workload: {
          until: 50,
          steps: [
            { at: 0, vcpu: 11, do: 'run' },
            { at: 1, vcpu: 9, do: 'msgsndp' },
            { at: 2, vcpu: 9, do: 'cede', tag: 1 },
            { at: 60, vcpu: 10, do: 'run' },
          ],
        },
      }),
    )
    expect(l).toEqual([
      "workload.steps[0].vcpu: must be one of the guest's vcpu ids (got 11)",
      'workload.steps[1].tag: msgsndp needs a tag (the target thread, 0 to 127)',
      'workload.steps[2].tag: only msgsndp takes a tag, not "cede" (got 1)',
      'workload.steps[3].at: must not be after workload.until (50) (got 60)',
    ])
  })

  it('wants exactly one of vcpuIds and vcpus', () => {
    expect(lines(book3s({ guest: {} }))).toEqual([
      'guest: must give guest.vcpuIds (a list of ids) or guest.vcpus (a count) (got {})',
    ])
    expect(lines(book3s({ guest: { vcpus: 2, vcpuIds: [0] } }))).toEqual([
      'guest.vcpus: give either guest.vcpuIds or guest.vcpus, not both (got 2)',
    ])
  })

  it('takes an RB operand only on POWER9, and either tag or rb', () => {
    const step = (x: Record<string, unknown>) => ({
      workload: { steps: [{ at: 0, vcpu: 0, do: 'msgsndp', ...x }] },
    })
    expect(
      ok<Book3sScenario>(book3s({ host: { processor: 'POWER9' }, ...step({ rb: 0x28000001 }) }))
        .workload.steps[0],
    ).toEqual({
      at: 0,
      vcpu: 0,
      do: 'msgsndp',
      rb: 0x28000001,
    })
    expect(lines(book3s({ host: { processor: 'POWER9' }, ...step({ rb: 1, tag: 1 }) }))).toEqual([
      'workload.steps[0].rb: give either tag or rb, not both (got 1)',
    ])
    expect(lines(book3s({ kvm: { design: 'aligned', doorbellMasks: '2020' } }))).toEqual([
      'kvm.doorbellMasks: applies only to POWER9, where KVM emulates msgsndp (got "2020")',
    ])
  })

  it('keeps scripted steps as written (no implicit run steps) once any step is given', () => {
    const s = ok<Book3sScenario>(book3s({ workload: { steps: [{ at: 5, vcpu: 1, do: 'run' }] } }))
    expect(s.workload.steps).toEqual([{ at: 5, vcpu: 1, do: 'run' }])
  })

  it('leaves a repeated vcpu id to KVM (it answers -EEXIST), not to the schema', () => {
    expect(ok<Book3sScenario>(book3s({ guest: { vcpuIds: [3, 3] } })).guest.vcpuIds).toEqual([3, 3])
  })
})

describe('xen part', () => {
  it('fills the defaults: nrCpus is what Linux finds without nr_cpus= (15 MADT entries on Xen 4.7)', () => {
    const s = ok<XenScenario>(xen())
    expect(s.xen.version).toBe('4.7')
    expect(s.guest).toEqual({
      type: 'pvhvm',
      maxVcpus: 4,
      onlineVcpus: 4,
      nrCpus: 15,
      eventChannels: 'fifo',
      gic: null,
      boot: { kind: 'normal' },
    })
    expect(s.linux).toEqual({ design: 'vcpu-id-mapping', era: '4.8', idBeforeSet: 'boot-id' })
    const nr = (over: Record<string, unknown>) => ok<XenScenario>(xen(over)).guest.nrCpus
    // libacpi (Xen 4.8) writes one entry per vCPU; hvmloader (4.7) 128 above 15 vCPUs
    expect(nr({ xen: { version: '4.8' } })).toBe(4)
    expect(nr({ guest: { type: 'pvhvm', maxVcpus: 16 } })).toBe(128)
    // ARM (device tree) and PV (VCPUOP_is_up) find the domain's vCPUs
    expect(nr({ guest: { type: 'arm', maxVcpus: 4 }, linux: { design: 'arm-smp-fix' } })).toBe(4)
    expect(nr({ guest: { type: 'pv', maxVcpus: 4 }, linux: { design: 'raw-cpu' } })).toBe(4)
    expect(nr({ guest: { type: 'pvhvm', maxVcpus: 4, nrCpus: 2 } })).toBe(2)
  })

  it('gives each design its idBeforeSet default (xen_vcpu_id in arch/x86/xen and arch/arm/xen enlighten.c)', () => {
    expect(defaultIdBeforeSet('vcpu-id-mapping', 'arm')).toBe('minus-one')
    expect(defaultIdBeforeSet('arm-smp-fix', 'arm')).toBe('zero')
    expect(defaultIdBeforeSet('vcpu-id-mapping', 'pvhvm')).toBe('boot-id')
    expect(defaultIdBeforeSet('raw-cpu', 'pv')).toBe('zero')
  })

  it('checks kdump: crashedVcpu required and online; not on ARM', () => {
    expect(lines(xen({ guest: { type: 'pvhvm', maxVcpus: 4, boot: { kind: 'kdump' } } }))).toEqual([
      'guest.boot.crashedVcpu: kdump needs the Xen vCPU the crash kernel starts on',
    ])
    expect(
      lines(
        xen({
          guest: {
            type: 'pvhvm',
            maxVcpus: 4,
            onlineVcpus: 2,
            boot: { kind: 'kdump', crashedVcpu: 3 },
          },
        }),
      ),
    ).toEqual([
      'guest.boot.crashedVcpu: must be an online vCPU, from 0 to 1 (guest.onlineVcpus - 1) (got 3)',
    ])
    expect(
      lines(
        xen({ guest: { type: 'arm', maxVcpus: 2, boot: { kind: 'kdump', crashedVcpu: 1 } } }),
      )[0],
    ).toMatch(/^guest\.boot\.kind: kdump is not supported on Xen\/ARM/)
    const s = ok<XenScenario>(
      xen({
        guest: { type: 'pvhvm', maxVcpus: 4, nrCpus: 1, boot: { kind: 'kdump', crashedVcpu: 2 } },
      }),
    )
    expect(s.guest.boot).toEqual({ kind: 'kdump', crashedVcpu: 2 })
  })

  it('checks workload CPUs against nrCpus and names unknown verbs', () => {
    expect(
      lines(
        xen({
          workload: {
            steps: [
              { at: 1, cpu: 0, do: 'send-ipi', target: 4, vector: 'reschedule' },
              { at: 2, cpu: 0, do: 'teleport' },
            ],
          },
        }),
      ),
    ).toEqual([
      'workload.steps[1].do: must be one of "send-ipi", "call-function", "exit-mmap", "offline", "online", "stop-others", "vcpu-hot-add", "set-affinity" (got "teleport")',
    ])
    expect(
      lines(
        xen({
          xen: { version: '4.8' },
          workload: { steps: [{ at: 1, cpu: 0, do: 'send-ipi', target: 4, vector: 'reschedule' }] },
        }),
      ),
    ).toEqual([
      'workload.steps[0].target: must be a Linux CPU number below guest.nrCpus (4) (got 4)',
    ])
  })
})

describe('xen workload steps added for the engine', () => {
  it('checks vcpu-hot-add against maxVcpus, set-affinity targets against nrCpus, and exit-mmap on PV only', () => {
    const steps = (last: unknown) => [
      { at: 1, cpu: 0, do: 'vcpu-hot-add', vcpu: 4 },
      { at: 2, cpu: 0, do: 'set-affinity', irq: 'timer', target: 4 },
      last,
    ]
    const bad = { at: 3, cpu: 0, do: 'set-affinity', irq: 'debug', target: 1 }
    expect(lines(xen({ xen: { version: '4.8' }, workload: { steps: steps(bad) } }))).toEqual([
      'workload.steps[2].irq: must be one of "reschedule", "call-function", "timer" (got "debug")',
    ])
    const mmap = { at: 3, cpu: 0, do: 'exit-mmap', lazyCpus: [1] }
    expect(lines(xen({ xen: { version: '4.8' }, workload: { steps: steps(mmap) } }))).toEqual([
      'workload.steps[0].vcpu: must be a vCPU of the domain, from 0 to 3 (guest.maxVcpus - 1) (got 4)',
      'workload.steps[1].target: must be a Linux CPU number below guest.nrCpus (4) (got 4)',
      'workload.steps[2].do: exit-mmap models the PV page-table unpin (xen_exit_mmap); HVM and ARM guests pin no page tables, so guest.type must be "pv" (got "exit-mmap")',
    ])
  })
})

describe('withDesign', () => {
  it("replaces the design in the engine's own field and leaves the input alone", () => {
    const input = book3s()
    const out = withDesign(input, 'first-come') as { kvm: { design: string } }
    expect(out.kvm.design).toBe('first-come')
    expect((input.kvm as { design: string }).design).toBe('aligned')
    expect((withDesign(xen(), 'raw-cpu') as { linux: { design: string } }).linux.design).toBe(
      'raw-cpu',
    )
  })

  it('takes NAME@RELEASE: the kernel a book3s design runs on, the Linux era of a xen one', () => {
    const out = withDesign(book3s(), 'dynamic-micro-threading@4.9') as {
      kvm: { design: string; kernel: string }
    }
    expect(out.kvm).toMatchObject({ design: 'dynamic-micro-threading', kernel: '4.9' })
    const x = withDesign(xen(), 'raw-cpu@4.9') as { linux: { design: string; era: string } }
    expect(x.linux).toMatchObject({ design: 'raw-cpu', era: '4.9' })
    expect(lines(withDesign(book3s(), 'aligned@9.9'))[0]).toMatch(/^kvm\.kernel: must be one of/)
  })

  it('lets the schema judge the new design', () => {
    expect(lines(withDesign(book3s(), 'fcfs'))).toEqual([
      'kvm.design: must be one of "first-come", "aligned", "piggyback", "dynamic-micro-threading" (got "fcfs")',
    ])
  })
})

describe('book3s kvm.kernel', () => {
  const problems = (kvm: Record<string, unknown>, host: Record<string, unknown> = {}) => {
    const r = parseScenario(
      book3s({ host: { processor: 'POWER8', ...host }, kvm, guest: { vcpus: 1 } }),
    )
    return r.ok ? [] : r.problems.map(problemLine)
  }

  it('defaults to the release the design first appeared in, raised by the settings used', () => {
    const kernel = (kvm: Record<string, unknown>, host: Record<string, unknown> = {}) =>
      ok<Book3sScenario>(
        book3s({ host: { processor: 'POWER8', ...host }, kvm, guest: { vcpus: 1 } }),
      ).kvm.kernel
    expect(kernel({ design: 'first-come' })).toBe('3.13')
    expect(kernel({ design: 'aligned' })).toBe('3.14')
    expect(kernel({ design: 'aligned' }, { subcoresPerCore: 2 })).toBe('3.16')
    expect(kernel({ design: 'aligned', smtMode: 1 })).toBe('4.13')
    expect(kernel({ design: 'aligned' }, { processor: 'POWER9' })).toBe('4.19')
  })

  it('refuses a release without the setting used, naming the first release with it', () => {
    expect(problems({ design: 'aligned', kernel: '3.14', smtMode: 1 })).toEqual([
      'kvm.kernel: an SMT mode below threads per subcore (KVM_CAP_PPC_SMT, 3c313524) first runs in 4.13; must be "4.13" or later (got "3.14")',
    ])
    expect(problems({ design: 'aligned', kernel: '3.14' }, { subcoresPerCore: 4 })[0]).toContain(
      'static split-core (subcore.c) first runs in 3.16',
    )
  })

  it('refuses a release outside the design’s code', () => {
    expect(problems({ design: 'first-come', kernel: '3.14' })).toEqual([
      'kvm.kernel: the first-come design is the code of 3.13 only; must be "3.13" (got "3.14")',
    ])
    expect(problems({ design: 'aligned', kernel: '3.13' })[0]).toContain('first runs in 3.14')
    expect(problems({ design: 'aligned', kernel: '5.0' })[0]).toMatch(
      /^kvm\.kernel: .*must be one of/,
    )
  })
})

describe('hostile documents get problems, never a crash (issue 19)', () => {
  const base = () => book3s()

  it('a document nested 100,000 deep is refused at the first level past 32, with its path', () => {
    let v: unknown = 1
    for (let i = 0; i < 100_000; i++) v = [v]
    const r = parseScenario({ ...base(), workload: { steps: [v] } })
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.problems).toHaveLength(1)
      expect(problemLine(r.problems[0]!)).toMatch(
        /^workload\.steps(\[0\]){30}: nests deeper than 32 levels/,
      )
    }
  })

  it('300,000 bad steps give 200 problems and a count of the rest', { timeout: 60_000 }, () => {
    const steps = Array.from({ length: 300_000 }, () => ({ at: -1, vcpu: 0, do: 'run' }))
    const r = parseScenario({ ...base(), workload: { steps } })
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.problems).toHaveLength(201)
      expect(r.problems.at(-1)!.message).toBe('and 299800 more problems (the first 200 are listed)')
    }
  })

  it('refuses control characters in text, and quotes an odd key instead of printing it raw', () => {
    const named = parseScenario({ ...base(), name: 'bad\u0007name' })
    expect(named.ok).toBe(false)
    if (!named.ok)
      expect(problemLine(named.problems[0]!)).toMatch(/^name: must not contain control characters/)
    const keyed = parseScenario({ ...base(), ['\u001b[31mred' + 'x'.repeat(60)]: 1 })
    expect(keyed.ok).toBe(false)
    if (!keyed.ok) {
      const line = problemLine(keyed.problems[0]!)
      expect(line).toMatch(/^\["\\u001b\[31mredx+…"\]: unknown field/)
      expect(line).not.toContain('\u001b')
    }
    // JSON.stringify leaves the C1 controls raw; U+009B is a terminal's CSI.
    const csi = parseScenario({ ...base(), name: 'bad\u009b31mname' })
    expect(!csi.ok && problemLine(csi.problems[0]!)).toBe(
      'name: must not contain control characters (only tab and newline are allowed) (got "bad\\u009b31mname")',
    )
  })

  it('an over-long array says its limit and its length, without printing the array', () => {
    const targets = Array.from({ length: 9000 }, () => 0)
    const doc = {
      schemaVersion: 1,
      name: 'x',
      engine: 'xen',
      guest: { type: 'pvhvm', maxVcpus: 4 },
      linux: { design: 'vcpu-id-mapping' },
      workload: { steps: [{ at: 0, cpu: 0, do: 'call-function', targets }] },
    }
    const r = parseScenario(doc)
    expect(!r.ok && problemLine(r.problems[0]!)).toBe(
      'workload.steps[0].targets: must name at most 8192 CPUs (got [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,... (9,000 items))',
    )
    const steps = Array.from({ length: 1_000_001 }, () => ({ at: 0, vcpu: 0, do: 'run' }))
    const many = parseScenario({ ...base(), workload: { steps } })
    expect(!many.ok && problemLine(many.problems[0]!)).toMatch(
      /^workload\.steps: must have at most 1,000,000 steps \(got \[\{"at":0,.*\.\.\. \(1,000,001 items\)\)$/,
    )
  })
})
