/**
 * Where a Linux guest's CPU numbers and Xen vCPU ids come from (arch/x86/xen/enlighten.c, arch/x86/kernel/acpi/boot.c, tools/firmware/hvmloader/acpi):
 * the HVM CPUID leaf base+4, the MADT Xen builds and Linux's numbering of its entries (boot CPU
 * first, the rest in table order, v4.8.15 and v4.9.76 differing on disabled entries and
 * hot-add), and the ARM vMPIDR.
 */
import type { LinuxEraSpec } from '../../designs/xenEras'
import { hvmMadtEntries, type IdBeforeSet } from '../../shared/scenario/xenScenario'

export const U32_MAX = 0xffffffff

/** `XEN_HVM_CPUID_VCPU_ID_PRESENT` (public/arch-x86/cpuid.h): EAX bit 3 of leaf base+4. */
export const XEN_HVM_CPUID_VCPU_ID_PRESENT = 0x8

/**
 * CPUID leaf base+4, sub-leaf 0, executed on vCPU `vcpu`: from Xen 4.6 (dd9b092266) EAX has
 * VCPU_ID_PRESENT and EBX is `current->vcpu_id` ([X4.7] hvm.c:3316-3335). The other EAX flags
 * depend on the host's hardware and are left clear here.
 */
export function cpuidHvmLeaf(xenMinor: number, vcpu: number): { eax: number; ebx: number } {
  return xenMinor >= 6 ? { eax: XEN_HVM_CPUID_VCPU_ID_PRESENT, ebx: vcpu } : { eax: 0, ebx: 0 }
}

/**
 * `init_hvm_pv_info` ([L4.8] enlighten.c:1812-1816): EBX when the flag is set, else
 * `smp_processor_id()`, which is 0 on the boot CPU.
 */
export function idFromCpuid(leaf: { eax: number; ebx: number }, cpu: number) {
  return leaf.eax & XEN_HVM_CPUID_VCPU_ID_PRESENT
    ? { id: leaf.ebx, via: 'cpuid' as const }
    : { id: cpu, via: 'smp-processor-id' as const }
}

/** The value `xen_vcpu_id` holds before it is set, as an unsigned 32-bit number (see `IdBeforeSet` in xenScenario.ts). */
export function idBeforeSetValue(kind: IdBeforeSet, bootId: number): number {
  switch (kind) {
    case 'minus-one':
    case 'u32-max':
      return U32_MAX
    case 'zero':
      return 0
    case 'boot-id':
      return bootId
  }
}

export interface MadtEntry {
  acpiId: number
  apicId: number
  enabled: boolean
}

/**
 * The MADT Xen builds for an HVM guest: entry i has ACPI id i and APIC id 2i, enabled when vCPU
 * i is online at build; as many entries as `hvmMadtEntries` says (15 or 128 up to Xen 4.7, one
 * per vCPU from 4.8). A PVH guest's MADT is libxl's (tools/libxl/libxl_x86_acpi.c
 * init_acpi_config, tools/libacpi/build.c construct_madt @RELEASE-4.10.0): one entry per vCPU,
 * every one enabled up to Xen 4.18, because libxl filled its online map from all the vCPUs;
 * 5cc7347b04 (Xen 4.19) fills it from the available ones.
 */
export function buildMadt(
  xenMinor: number,
  maxVcpus: number,
  onlineVcpus: number,
  pvh = false,
): MadtEntry[] {
  const count = pvh ? maxVcpus : hvmMadtEntries(xenMinor, maxVcpus)
  const allEnabled = pvh && xenMinor < 19
  const out: MadtEntry[] = []
  for (let i = 0; i < count; i++) {
    out.push({
      acpiId: i,
      apicId: 2 * i,
      enabled: allEnabled || (i < maxVcpus && i < onlineVcpus),
    })
  }
  return out
}

/** The vCPU an x86 APIC id belongs to (Xen's vLAPIC sets APIC_ID = 2 * vcpu_id). */
export function vcpuOfApicId(apicId: number): number {
  return apicId >> 1
}

export interface X86Cpu {
  cpu: number
  apicId: number
  /** `x86_cpu_to_acpiid[cpu]`: U32_MAX when Linux has none. */
  acpiId: number
  present: boolean
}

/**
 * Linux's numbering of MADT Local APIC entries: `acpi_register_lapic` → `generic_processor_info`
 * ([L4.8] arch/x86/kernel/acpi/boot.c:169-192, apic/apic.c:2028-2135) or
 * `__generic_processor_info` with `allocate_logical_cpuid` ([L4.9] apic.c:2049-2195).
 * - The entry whose APIC id is the boot CPU's becomes cpu 0; the others take the next number.
 * - Until the boot CPU's entry has been seen, one slot is kept for it; at nr_cpu_ids entries the
 *   rest are ignored (counted as disabled).
 * - 4.8 skips disabled entries (counted only); 4.9 gives them a number and an ACPI id too; 4.11
 *   counts them only again (`if (!enabled) { ++disabled_cpus; return -EINVAL; }`).
 * - Numbers: the first free bit of the present mask (4.8), or `allocate_logical_cpuid` (4.9 on).
 * - `prefill_possible_map`: possible = enabled + disabled, capped at nr_cpu_ids.
 */
export class X86CpuNumbering {
  readonly cpus: X86Cpu[] = []
  private numProcessors = 0
  private disabledCpus = 0
  private bootDetected = false
  private readonly present = new Set<number>([0])
  /** The lowest number not in `present` is at least this (numbers are never freed). */
  private firstFree = 1
  /** 4.9 `cpuid_to_apicid[]`, logical id 0 kept for the boot CPU. */
  private readonly logical: number[] = [-1]
  /** The first logical id of each APIC id in `logical` (what `indexOf` finds). */
  private readonly logicalOf = new Map<number, number>()
  private readonly byCpu = new Map<number, X86Cpu>()
  possible = 0

  /** `num_processors`: the enabled entries Linux numbered (present CPUs). */
  get presentCount(): number {
    return this.numProcessors
  }

  private readonly numbersDisabled: boolean
  private readonly logicalIds: boolean
  private readonly hotAddAcpiId: boolean

  constructor(
    era: Pick<LinuxEraSpec, 'numbersDisabledMadtEntries' | 'logicalCpuIds' | 'hotAddAcpiId'>,
    private readonly nrCpuIds: number,
    private readonly bootApicId: number,
  ) {
    this.numbersDisabled = era.numbersDisabledMadtEntries
    this.logicalIds = era.logicalCpuIds
    this.hotAddAcpiId = era.hotAddAcpiId
  }

  parse(madt: readonly MadtEntry[]): this {
    for (const e of madt) this.register(e.apicId, e.acpiId, e.enabled)
    const possible = Math.max(this.numProcessors, 1) + this.disabledCpus
    this.possible = Math.min(possible, this.nrCpuIds)
    this.cpus.sort((a, b) => a.cpu - b.cpu)
    return this
  }

  cpuOfApic(apicId: number): X86Cpu | undefined {
    return this.cpus.find((c) => c.apicId === apicId)
  }

  /** The entry of Linux cpu `cpu`. */
  entryOf(cpu: number): X86Cpu | undefined {
    return this.byCpu.get(cpu)
  }

  /**
   * ACPI hot-add: `acpi_map_cpu` registers the APIC with ACPI id U32_MAX ([L4.8]
   * boot.c:722-737, [L4.9] :726-738), or from 4.11 with the processor's ACPI id `acpiId`
   * (`acpi_map_cpu(handle, physid, acpi_id, pcpu)`). Returns the Linux cpu, or null when Linux
   * refuses it.
   */
  hotAdd(apicId: number, acpiId: number): X86Cpu | null {
    const cpu = this.register(apicId, this.hotAddAcpiId ? acpiId : U32_MAX, true)
    if (cpu === null || cpu >= this.possible) return null
    this.cpus.sort((a, b) => a.cpu - b.cpu)
    return this.byCpu.get(cpu) ?? null
  }

  private register(apicId: number, acpiId: number, enabled: boolean): number | null {
    if (!enabled && !this.numbersDisabled) {
      this.disabledCpus++
      return null
    }
    const isBoot = apicId === this.bootApicId
    if (!this.bootDetected && this.numProcessors >= this.nrCpuIds - 1 && !isBoot) {
      this.disabledCpus++
      return null
    }
    if (this.numProcessors >= this.nrCpuIds) {
      this.disabledCpus++
      return null
    }
    let cpu: number
    if (isBoot) cpu = 0
    else if (!this.logicalIds) {
      // cpumask_next_zero(-1, cpu_present_mask): bits are only ever set, so the search
      // resumes where the last one stopped (linear over the whole MADT, not quadratic)
      while (this.present.has(this.firstFree)) this.firstFree++
      cpu = this.firstFree
    } else {
      const known = this.logicalOf.get(apicId) ?? -1
      if (known > 0) cpu = known
      else if (this.logical.length >= this.nrCpuIds) {
        this.disabledCpus++
        return null
      } else {
        cpu = this.logical.length
        this.logical.push(apicId)
        if (!this.logicalOf.has(apicId)) this.logicalOf.set(apicId, cpu)
      }
    }
    if (isBoot) this.bootDetected = true
    let entry = this.byCpu.get(cpu)
    if (!entry) {
      entry = { cpu, apicId, acpiId, present: false }
      this.cpus.push(entry)
      this.byCpu.set(cpu, entry)
    }
    entry.acpiId = acpiId
    if (enabled) {
      this.numProcessors++
      this.present.add(cpu)
      entry.present = true
    } else {
      this.disabledCpus++
    }
    return cpu
  }
}

/**
 * ARM vMPIDR of vCPU n, per Xen version. From 4.6 (bc5deb5930 "xen/arm: Use the new functions
 * for vCPUID/vaffinity transformation"): `MPIDR_SMP | vcpuid_to_vaffinity(n)`, Aff0 = n & 0xf,
 * Aff1 = (n >> 4) & 0xff, and libxl's device tree names cpu n by the same affinity (6c3e223420).
 * Up to 4.5 (xen/arch/arm/domain.c:vcpu_initialise @RELEASE-4.5.0): `MPIDR_SMP | (n <<
 * MPIDR_AFF0_SHIFT)`, the whole id in Aff0, and libxl's cpu node `reg` is n. The two agree for
 * every n < 16, so every domain Xen 4.5 builds (8 vCPUs at most) reads the same values.
 */
export function armMpidr(vcpu: number, xenMinor: number): number {
  if (xenMinor <= 5) return (0x80000000 + vcpu) >>> 0
  return 0x80000000 + (((vcpu >> 4) & 0xff) << 8) + (vcpu & 0xf)
}

/**
 * The vCPU an MPIDR names: from 4.6 `vaffinity_to_vcpuid` (Aff1 << 4 | Aff0); up to 4.5
 * vpsci.c:do_psci_cpu_on took `target_cpu & MPIDR_HWID_MASK` as the id.
 */
export function vcpuOfMpidr(mpidr: number, xenMinor: number): number {
  if (xenMinor <= 5) return mpidr & 0xffffff
  return (((mpidr >>> 8) & 0xff) << 4) | (mpidr & 0xf)
}
