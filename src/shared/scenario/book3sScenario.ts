/**
 * The `engine: "book3s"` part of a scenario (docs/scenario.md): a POWER host, KVM's settings, the guest's
 * vcpu ids and a workload. Host facts and KVM's rules on settings are cited where they are used.
 */
import { z } from 'zod'
import {
  BOOK3S_DESIGN_NAMES,
  BOOK3S_DESIGN_TABLE,
  type Book3sDesignName,
} from '../../designs/book3s'
import {
  BOOK3S_KERNEL_NAMES,
  BOOK3S_KERNEL_TABLE,
  type Book3sKernelName,
  type Book3sKernelSpec,
} from '../../designs/book3sKernels'
import { MAX_STEPS, bool, closed, intIn, isPowerOfTwo, oneOf, oneOfInts } from './fields'
import { problem, type PathSegment, type Problem } from './problems'

export const PROCESSORS = ['POWER7', 'POWER8', 'POWER9'] as const
export type Processor = (typeof PROCESSORS)[number]

/**
 * Hardware threads per core as KVM-HV drives them: POWER7 4 (rmhandlers.S @e0b7ec05, "HDEC is shared
 * between all 4 threads"), POWER8 8 (book3s_hv.c @b4deba5c, MAX_SMT_THREADS), POWER9 4 (KVM treats
 * P9 as SMT4 cores permanently in 4-way split mode, `subcore_config_ok` @1e175d2e).
 */
export const THREADS_PER_CORE: Readonly<Record<Processor, number>> = {
  POWER7: 4,
  POWER8: 8,
  POWER9: 4,
}

/** The CONFIG_HZ choices of kernel/Kconfig.hz; powernv_defconfig (@010e85f9) sets CONFIG_HZ_100. */
export const HOST_HZ = [100, 250, 300, 1000] as const

/** MAX_SMT_THREADS (kvm_book3s_asm.h @b4deba5c). */
export const MAX_SMT_THREADS = 8

/** The designs a scenario may name: the table of src/designs/book3s. */
export const BOOK3S_DESIGNS = BOOK3S_DESIGN_NAMES
export type Book3sDesign = Book3sDesignName

export const BOOK3S_VERBS = [
  'run',
  'cede',
  'wake',
  'exit',
  'msgsndp',
  'msgclrp',
  'read-tir',
] as const
export type Book3sVerb = (typeof BOOK3S_VERBS)[number]

/** Largest vcpu id a scenario may name; KVM itself refuses ids from NR_CPUS up (a result, not a problem). */
export const MAX_VCPU_ID = 2 ** 31 - 1
export const MAX_TICK = 1e12

const tick = intIn(0, MAX_TICK)

const step = closed({
  at: tick,
  vcpu: intIn(0, MAX_VCPU_ID),
  do: oneOf(BOOK3S_VERBS),
  /** msgsndp only: the tag, i.e. the guest's idea of the target thread number (RB & 0x7f). */
  tag: intIn(0, 127).optional(),
  /** msgsndp on POWER9 only: the whole RB operand, to try the emulation's masks. */
  rb: intIn(0, 2 ** 32 - 1).optional(),
  /** run only: the host CPU the vcpu's task is on when it enters KVM_RUN. */
  hostCpu: intIn(0, 1024 * 8 - 1).optional(),
})

const rate = z
  .number({ error: 'must be a number from 0 to 1000 (events per vcpu per 1000 ticks)' })
  .min(0, { error: 'must be a number from 0 to 1000 (events per vcpu per 1000 ticks)' })
  .max(1000, { error: 'must be a number from 0 to 1000 (events per vcpu per 1000 ticks)' })

const random = closed({
  until: intIn(1, MAX_TICK),
  rates: closed({
    run: rate.default(0),
    cede: rate.default(0),
    wake: rate.default(0),
    exit: rate.default(0),
    msgsndp: rate.default(0),
    msgclrp: rate.default(0),
    'read-tir': rate.default(0),
  }),
  /** Whether generated doorbells name only tags of existing siblings (false lets them miss). */
  siblingTagsOnly: bool().default(true),
})

export const book3sSchema = closed({
  schemaVersion: z.unknown().optional(),
  name: z.unknown().optional(),
  description: z.unknown().optional(),
  engine: z.literal('book3s'),
  seed: z.unknown().optional(),
  host: closed({
    processor: oneOf(PROCESSORS),
    cores: intIn(1, 1024).default(1),
    subcoresPerCore: oneOfInts([1, 2, 4]).optional(),
    /** The host kernel's CONFIG_HZ: its timer tick, which ends every guest entry (HDEC). */
    hz: oneOfInts(HOST_HZ).default(100),
  }),
  kvm: closed({
    design: oneOf(BOOK3S_DESIGNS),
    /** The Linux release whose book3s_hv limits and settings run (src/designs/book3sKernels). */
    kernel: oneOf(BOOK3S_KERNEL_NAMES).optional(),
    smtMode: intIn(1, 64).optional(),
    emulSmtMode: intIn(1, 64).optional(),
    nrCpus: intIn(1, 8192).default(2048),
    /** POWER9 msgsndp emulation masks: 1e175d2e (2018) or Leonardo Bras's 2020 fix. */
    doorbellMasks: oneOf(['2018', '2020']).optional(),
    /** POWER9's indep_threads_mode module parameter (default true; removed in 5.14). */
    indepThreadsMode: bool().optional(),
  }),
  guest: closed({
    vcpuIds: z
      .array(intIn(0, MAX_VCPU_ID), { error: 'must be an array of vcpu ids' })
      .min(1, { error: 'must name at least one vcpu' })
      .max(16384, { error: 'must name at most 16384 vcpus' })
      .optional(),
    vcpus: intIn(1, 16384).optional(),
    /** With `vcpus`: QEMU's -smp threads, so ids are numbered as QEMU numbers them (hw/ppc/spapr.c). */
    threads: intIn(1, 8).optional(),
  }),
  workload: closed({
    steps: z
      .array(step, { error: 'must be an array of steps' })
      .max(MAX_STEPS, { error: `must have at most ${MAX_STEPS.toLocaleString('en-US')} steps` })
      .default([]),
    until: intIn(1, MAX_TICK).optional(),
    random: random.optional(),
  }).default({ steps: [] }),
})

export interface Book3sStep {
  at: number
  vcpu: number
  do: Book3sVerb
  tag?: number
  rb?: number
  /** `run` only: the host CPU the vcpu's task is on when it enters KVM_RUN. */
  hostCpu?: number
}

export interface Book3sRandomWorkload {
  until: number
  rates: Record<Book3sVerb, number>
  siblingTagsOnly: boolean
}

/** A `book3s` scenario with every default filled in (the run result echoes this). */
export interface Book3sScenario {
  schemaVersion: 1
  name: string
  description: string
  engine: 'book3s'
  seed: number
  host: { processor: Processor; cores: number; subcoresPerCore: number; hz: number }
  kvm: {
    design: Book3sDesign
    kernel: Book3sKernelName
    smtMode: number
    emulSmtMode: number
    nrCpus: number
    doorbellMasks: '2018' | '2020'
    /** POWER9's indep_threads_mode; null on POWER7 and POWER8. */
    indepThreadsMode: boolean | null
  }
  guest: { vcpuIds: number[] }
  workload: { steps: Book3sStep[]; until: number; random: Book3sRandomWorkload | null }
}

/** Threads per (sub)core: `threads_per_subcore` (subcore.c), the unit KVM-HV runs a vcore on. */
export function threadsPerSubcore(processor: Processor, subcoresPerCore: number): number {
  return THREADS_PER_CORE[processor] / subcoresPerCore
}

/** Ticks a run lasts when the scenario does not say: the last step plus this many ticks. */
export const DEFAULT_TAIL_TICKS = 1000

type Parsed = z.infer<typeof book3sSchema>
type Common = Pick<Book3sScenario, 'schemaVersion' | 'name' | 'description' | 'seed'>

const KERNEL_ORDER: readonly string[] = BOOK3S_KERNEL_NAMES

/** The release's place in time: releases compare by their order in the table. */
function kernelRank(name: string): number {
  return KERNEL_ORDER.indexOf(name)
}

/** The first release in the table whose code has `has`. */
function firstKernelWith(has: (k: Book3sKernelSpec) => boolean): Book3sKernelName {
  return BOOK3S_KERNEL_NAMES.find((n) => has(BOOK3S_KERNEL_TABLE[n])) as Book3sKernelName
}

/**
 * `kvm.kernel`, or its default: the release the design first appeared in, or the first release
 * with every setting the scenario uses (static split-core, KVM_CAP_PPC_SMT, POWER9), if later.
 * A release named explicitly must have the design's code and every setting used.
 */
function kernelOf(
  kvm: { design: Book3sDesign; kernel?: Book3sKernelName | undefined },
  use: { p9: boolean; subcoresPerCore: number; smtMode: number; tps: number },
  at: (path: PathSegment[], message: string) => void,
): Book3sKernelName {
  const design = BOOK3S_DESIGN_TABLE[kvm.design]
  const needs: [Book3sKernelName, string][] = [
    [design.firstKernel as Book3sKernelName, `the ${design.name} design (${design.commit})`],
  ]
  if (use.subcoresPerCore !== 1)
    needs.push([firstKernelWith((k) => k.staticSplit), 'static split-core (subcore.c)'])
  if (!use.p9 && use.smtMode !== use.tps)
    needs.push([
      firstKernelWith((k) => k.smtCap),
      'an SMT mode below threads per subcore (KVM_CAP_PPC_SMT, 3c313524)',
    ])
  if (use.p9)
    needs.push([firstKernelWith((k) => k.power9), 'POWER9 as modelled (vcpu id packing, 1e175d2e)'])
  if (kvm.kernel === undefined) {
    return needs.reduce((a, [n]) => (kernelRank(n) > kernelRank(a) ? n : a), needs[0]![0])
  }
  const chosen = kvm.kernel
  for (const [n, what] of needs) {
    if (kernelRank(chosen) < kernelRank(n)) {
      at(['kvm', 'kernel'], `${what} first runs in ${n}; must be "${n}" or later`)
      return chosen
    }
  }
  const last = design.lastKernel
  if (last !== null && kernelRank(chosen) > kernelRank(last)) {
    const range = KERNEL_ORDER.filter(
      (n) => kernelRank(n) >= kernelRank(design.firstKernel) && kernelRank(n) <= kernelRank(last),
    )
    at(
      ['kvm', 'kernel'],
      `the ${design.name} design is the code of ${range.length === 1 ? `${last} only` : `${design.firstKernel}–${last}`}; must be ${range.map((n) => `"${n}"`).join(' or ')}`,
    )
  }
  return chosen
}

/** Where a problem is reported: the path of the field and what is allowed. */
type At = (path: PathSegment[], message: string) => void

/** The host part: static split-core exists only on POWER8 (arch/powerpc/platforms/powernv/subcore.c). */
function hostOf(parsed: Parsed, at: At): Book3sScenario['host'] {
  const { processor, cores } = parsed.host
  const subcoresPerCore = parsed.host.subcoresPerCore ?? 1
  if (processor !== 'POWER8' && subcoresPerCore !== 1) {
    at(
      ['host', 'subcoresPerCore'],
      'static split-core exists only on POWER8 (subcore.c); must be 1',
    )
  }
  return { processor, cores, subcoresPerCore, hz: parsed.host.hz }
}

/**
 * kvmhv_set_smt_mode @3c313524: power of two, <= MAX_SMT_THREADS, <= threads_per_subcore before
 * POWER9; on POWER9 smt_mode is always 1 and the requested mode becomes emul_smt_mode (@1e175d2e).
 */
function smtModesOf(parsed: Parsed, p9: boolean, tps: number, at: At) {
  const smtMode = parsed.kvm.smtMode ?? (p9 ? 1 : tps)
  if (parsed.kvm.smtMode !== undefined) {
    if (p9 && smtMode !== 1) {
      at(
        ['kvm', 'smtMode'],
        'must be 1 on POWER9: KVM runs each vcpu as its own vcore there and keeps the requested mode in emulSmtMode (kvmhv_set_smt_mode @1e175d2e)',
      )
    } else if (!p9 && (!isPowerOfTwo(smtMode) || smtMode > Math.min(MAX_SMT_THREADS, tps))) {
      at(
        ['kvm', 'smtMode'],
        `must be a power of two from 1 to ${Math.min(MAX_SMT_THREADS, tps)} (the threads per subcore of this host); KVM_CAP_PPC_SMT with another mode fails with -EINVAL (kvmhv_set_smt_mode @3c313524)`,
      )
    }
  }
  const emulSmtMode = parsed.kvm.emulSmtMode ?? 1
  if (parsed.kvm.emulSmtMode !== undefined) {
    if (!p9 && emulSmtMode !== 1) {
      at(
        ['kvm', 'emulSmtMode'],
        'applies only to POWER9 (kvmppc_pack_vcpu_id @1e175d2e); must be 1',
      )
    } else if (p9 && (!isPowerOfTwo(emulSmtMode) || emulSmtMode > MAX_SMT_THREADS)) {
      at(
        ['kvm', 'emulSmtMode'],
        'must be 1, 2, 4 or 8; KVM_CAP_PPC_SMT with another mode fails with -EINVAL (kvmhv_set_smt_mode @1e175d2e)',
      )
    }
  }
  return { smtMode, emulSmtMode }
}

/**
 * `indep_threads_mode` (POWER9 only; a kvm_hv parameter from before 4.19 until aaae8c79 removed it
 * in 5.14, after which POWER9 always runs independent threads). Default true. Null off POWER9.
 */
function indepThreadsOf(
  parsed: Parsed,
  p9: boolean,
  kernel: Book3sKernelName,
  at: At,
): boolean | null {
  const given = parsed.kvm.indepThreadsMode
  const k = BOOK3S_KERNEL_TABLE[kernel]
  if (!p9) {
    if (given !== undefined)
      at(['kvm', 'indepThreadsMode'], 'applies only to POWER9 (indep_threads_mode); remove it')
    return null
  }
  if (given === false && !k.indepThreadsParam) {
    at(
      ['kvm', 'indepThreadsMode'],
      `kernel ${kernel} has no dependent-threads mode on POWER9 (aaae8c79 removed indep_threads_mode in 5.14); must be true or absent`,
    )
  }
  return given ?? true
}

/** The kvm part: SMT modes, what the design refuses, the kernel, POWER9's threading mode. */
function kvmOf(parsed: Parsed, host: Book3sScenario['host'], at: At): Book3sScenario['kvm'] {
  const p9 = host.processor === 'POWER9'
  const tps = threadsPerSubcore(host.processor, host.subcoresPerCore)
  const { smtMode, emulSmtMode } = smtModesOf(parsed, p9, tps, at)
  // A design's code may predate a setting (first-come: POWER9, split-core, KVM_CAP_PPC_SMT).
  const refused = BOOK3S_DESIGN_TABLE[parsed.kvm.design].refuse({
    processor: host.processor,
    subcoresPerCore: host.subcoresPerCore,
    smtMode,
    threadsPerSubcore: tps,
  })
  if (refused) at([...refused.path], refused.message)
  const use = { p9, subcoresPerCore: host.subcoresPerCore, smtMode, tps }
  const kernel = kernelOf(parsed.kvm, use, at)
  const doorbellMasks = parsed.kvm.doorbellMasks ?? '2018'
  if (parsed.kvm.doorbellMasks !== undefined && !p9) {
    at(['kvm', 'doorbellMasks'], 'applies only to POWER9, where KVM emulates msgsndp')
  }
  return {
    design: parsed.kvm.design,
    kernel,
    smtMode,
    emulSmtMode,
    nrCpus: parsed.kvm.nrCpus,
    doorbellMasks,
    indepThreadsMode: indepThreadsOf(parsed, p9, kernel, at),
  }
}

/**
 * guest.vcpus: N stands for vcpuIds 0..N-1 (docs/scenario.md); with guest.threads T, for the ids
 * QEMU gives its N vcpus, `(cpu_index / T) * vsmt + cpu_index % T` (spapr_vcpu_id, hw/ppc/spapr.c),
 * vsmt being the SMT mode KVM runs (POWER9: the emulated one).
 */
function vcpuIdsOf(parsed: Parsed, kvm: Book3sScenario['kvm'], p9: boolean, at: At): number[] {
  const { vcpuIds: ids, vcpus, threads } = parsed.guest
  const vsmt = p9 ? kvm.emulSmtMode : kvm.smtMode
  if (threads !== undefined && vcpus === undefined) {
    at(['guest', 'threads'], 'goes with guest.vcpus (QEMU numbers the vcpus it creates)')
  } else if (threads !== undefined && threads > vsmt) {
    at(
      ['guest', 'threads'],
      `must be at most the SMT mode KVM runs (${vsmt}): QEMU refuses more threads per core than vsmt`,
    )
  }
  if (ids !== undefined && vcpus !== undefined) {
    at(['guest', 'vcpus'], 'give either guest.vcpuIds or guest.vcpus, not both')
  } else if (ids === undefined && vcpus === undefined) {
    at(['guest'], 'must give guest.vcpuIds (a list of ids) or guest.vcpus (a count)')
  } else if (ids !== undefined) {
    // A repeated id is KVM's to refuse (-EEXIST, or -EINVAL for a POWER9 packing collision).
    return ids
  } else if (vcpus !== undefined) {
    const t = threads ?? vsmt
    return Array.from({ length: vcpus }, (_, i) => Math.floor(i / t) * vsmt + (i % t))
  }
  return []
}

/** The rules one step must keep: a known vcpu, and the operands its verb takes. */
function checkStep(
  st: Parsed['workload']['steps'][number],
  i: number,
  ctx: { known: Set<number>; p9: boolean; threads: number; at: At },
): void {
  const where = (f: string): PathSegment[] => ['workload', 'steps', i, f]
  const { at, p9 } = ctx
  if (ctx.known.size > 0 && !ctx.known.has(st.vcpu))
    at(where('vcpu'), `must be one of the guest's vcpu ids`)
  if (st.hostCpu !== undefined) {
    if (st.do !== 'run') at(where('hostCpu'), `only run takes a hostCpu, not "${st.do}"`)
    else if (st.hostCpu >= ctx.threads)
      at(where('hostCpu'), `must be a host CPU of this host: 0 to ${ctx.threads - 1}`)
  }
  if (st.do === 'msgclrp') {
    if (st.tag !== undefined) at(where('tag'), 'msgclrp clears the issuing thread and takes no tag')
    if (st.rb !== undefined && !p9)
      at(where('rb'), 'only POWER9 emulates msgclrp from its RB operand')
  } else if (st.do === 'msgsndp') {
    if (st.tag === undefined && st.rb === undefined) {
      at(where('tag'), 'msgsndp needs a tag (the target thread, 0 to 127)')
    } else if (st.tag !== undefined && st.rb !== undefined) {
      at(where('rb'), 'give either tag or rb, not both')
    } else if (st.rb !== undefined && !p9) {
      at(where('rb'), 'only POWER9 emulates msgsndp from its RB operand; give a tag')
    }
  } else {
    if (st.tag !== undefined) at(where('tag'), `only msgsndp takes a tag, not "${st.do}"`)
    if (st.rb !== undefined) at(where('rb'), `only msgsndp and msgclrp take rb, not "${st.do}"`)
  }
}

/** The workload: steps checked, an implicit `run` of every vcpu at tick 0 when there are none. */
function workloadOf(
  parsed: Parsed,
  host: Book3sScenario['host'],
  vcpuIds: number[],
  at: At,
): Book3sScenario['workload'] {
  const stepsIn = parsed.workload.steps
  const ctx = {
    known: new Set(vcpuIds),
    p9: host.processor === 'POWER9',
    threads: host.cores * THREADS_PER_CORE[host.processor],
    at,
  }
  stepsIn.forEach((st, i) => checkStep(st, i, ctx))
  // No workload at all: every vcpu enters KVM_RUN at tick 0, in the order the ids are listed.
  const implicit = stepsIn.length === 0 && parsed.workload.random === undefined
  const steps: Book3sStep[] = implicit
    ? [...new Set(vcpuIds)].map((vcpu) => ({ at: 0, vcpu, do: 'run' as const }))
    : stepsIn.map((st) => {
        const out: Book3sStep = { at: st.at, vcpu: st.vcpu, do: st.do }
        if (st.tag !== undefined) out.tag = st.tag
        if (st.rb !== undefined) out.rb = st.rb
        if (st.hostCpu !== undefined) out.hostCpu = st.hostCpu
        return out
      })
  const randomIn = parsed.workload.random
  const random: Book3sRandomWorkload | null = randomIn
    ? {
        until: randomIn.until,
        rates: { ...randomIn.rates },
        siblingTagsOnly: randomIn.siblingTagsOnly,
      }
    : null
  const lastStep = steps.reduce((m, st) => Math.max(m, st.at), 0)
  const until =
    parsed.workload.until ?? Math.max(lastStep + DEFAULT_TAIL_TICKS, random ? random.until : 0)
  steps.forEach((st, i) => {
    if (st.at > until)
      at(['workload', 'steps', i, 'at'], `must not be after workload.until (${until})`)
  })
  if (random && random.until > until) {
    at(['workload', 'random', 'until'], `must not be after workload.until (${until})`)
  }
  return { steps, until, random }
}

/** Fills the defaults that depend on other fields and checks the rules that span fields. */
export function normalizeBook3s(
  parsed: Parsed,
  common: Common,
  input: unknown,
): { scenario: Book3sScenario; problems: Problem[] } {
  const problems: Problem[] = []
  const at: At = (path, message) => problems.push(problem(path, message, input))
  const host = hostOf(parsed, at)
  const kvm = kvmOf(parsed, host, at)
  const vcpuIds = vcpuIdsOf(parsed, kvm, host.processor === 'POWER9', at)
  const workload = workloadOf(parsed, host, vcpuIds, at)
  return {
    problems,
    scenario: {
      schemaVersion: common.schemaVersion,
      name: common.name,
      description: common.description,
      engine: 'book3s',
      seed: common.seed,
      host,
      kvm,
      guest: { vcpuIds },
      workload,
    },
  }
}
