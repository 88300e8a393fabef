/**
 * Where ids come from: CPUID leaf base+4, the MADT Xen builds, Linux's numbering of its entries
 * (v4.8.15 and v4.9.76), the value an id holds before it is set, and the ARM vMPIDR.
 */
import { describe, expect, it } from 'vitest'
import {
  armMpidr,
  buildMadt,
  cpuidHvmLeaf,
  idBeforeSetValue,
  idFromCpuid,
  vcpuOfMpidr,
  X86CpuNumbering,
  XEN_HVM_CPUID_VCPU_ID_PRESENT,
} from '../../../src/engines/xen/idSources'
import { LINUX_ERA_TABLE } from '../../../src/designs/xenEras'
import { U32_MAX } from './support'

const numbering = (
  era: '4.8' | '4.9' | '4.11',
  nrCpus: number,
  bootVcpu: number,
  max: number,
  online = max,
) =>
  new X86CpuNumbering(LINUX_ERA_TABLE[era], nrCpus, 2 * bootVcpu).parse(buildMadt(8, max, online))

describe('CPUID leaf base+4', () => {
  it('TV1: on vCPU 0 of Xen 4.7 EAX has VCPU_ID_PRESENT (0x8) and EBX = 0, so id[0] = 0', () => {
    const leaf = cpuidHvmLeaf(7, 0)
    expect(leaf.eax & XEN_HVM_CPUID_VCPU_ID_PRESENT).toBe(0x8)
    expect(leaf.ebx).toBe(0)
    expect(idFromCpuid(leaf, 0)).toEqual({ id: 0, via: 'cpuid' })
  })

  it('TV2: the crash kernel on vCPU 2 reads EBX = 2', () => {
    expect(idFromCpuid(cpuidHvmLeaf(7, 2), 0)).toEqual({ id: 2, via: 'cpuid' })
  })

  it('TV24: Xen 4.5 has no VCPU_ID_PRESENT (dd9b092266 is 4.6), so id[0] = smp_processor_id() = 0 even on vCPU 2', () => {
    const leaf = cpuidHvmLeaf(5, 2)
    expect(leaf.eax & XEN_HVM_CPUID_VCPU_ID_PRESENT).toBe(0)
    expect(idFromCpuid(leaf, 0)).toEqual({ id: 0, via: 'smp-processor-id' })
    expect(cpuidHvmLeaf(6, 2).ebx).toBe(2)
  })
})

describe('the MADT Xen builds', () => {
  it('TV1: entry i has ACPI id i and APIC id 2i, enabled for online vCPUs', () => {
    const madt = buildMadt(8, 4, 2)
    expect(madt).toEqual([
      { acpiId: 0, apicId: 0, enabled: true },
      { acpiId: 1, apicId: 2, enabled: true },
      { acpiId: 2, apicId: 4, enabled: false },
      { acpiId: 3, apicId: 6, enabled: false },
    ])
  })

  it('hvmloader up to 4.7 writes 15 entries (15-CPU DSDT) or HVM_MAX_VCPUS = 128; libacpi from 4.8 one per vCPU', () => {
    expect(buildMadt(7, 4, 4)).toHaveLength(15)
    expect(buildMadt(7, 20, 20)).toHaveLength(128)
    expect(buildMadt(7, 4, 4).filter((e) => e.enabled)).toHaveLength(4)
    expect(buildMadt(8, 20, 20)).toHaveLength(20)
  })
})

describe("Linux's numbering of the MADT", () => {
  it('TV1: a normal boot numbers cpu k = APIC 2k (vCPU k) with ACPI id k', () => {
    const n = numbering('4.8', 4, 0, 4)
    expect(n.cpus.map((c) => [c.cpu, c.apicId, c.acpiId])).toEqual([
      [0, 0, 0],
      [1, 2, 1],
      [2, 4, 2],
      [3, 6, 3],
    ])
    expect(n.possible).toBe(4)
  })

  it('TV4: kdump on vCPU 2 with nr_cpus = 4: cpu 0 = APIC 4, cpu 1 = APIC 0, cpu 2 = APIC 2, cpu 3 = APIC 6', () => {
    const n = numbering('4.8', 4, 2, 4)
    expect(n.cpus.map((c) => [c.cpu, c.apicId, c.acpiId])).toEqual([
      [0, 4, 2],
      [1, 0, 0],
      [2, 2, 1],
      [3, 6, 3],
    ])
  })

  it('keeps a slot for the boot CPU: kdump on vCPU 2 with nr_cpus = 2 gives cpu 0 = APIC 4, cpu 1 = APIC 0', () => {
    const n = numbering('4.8', 2, 2, 4)
    expect(n.cpus.map((c) => [c.cpu, c.apicId])).toEqual([
      [0, 4],
      [1, 0],
    ])
    expect(numbering('4.8', 1, 2, 4).cpus.map((c) => c.apicId)).toEqual([4])
  })

  it('4.8 gives disabled entries no number; 4.9 numbers them (with their ACPI id) but not present', () => {
    const n48 = numbering('4.8', 4, 0, 4, 2)
    expect(n48.cpus.map((c) => c.apicId)).toEqual([0, 2])
    expect(n48.possible).toBe(4)
    const n49 = numbering('4.9', 4, 0, 4, 2)
    expect(n49.cpus.map((c) => [c.cpu, c.apicId, c.acpiId, c.present])).toEqual([
      [0, 0, 0, true],
      [1, 2, 1, true],
      [2, 4, 2, false],
      [3, 6, 3, false],
    ])
  })

  it('TV26: hot-adding vCPU 3 before vCPU 2 gets cpu 2 with ACPI id U32_MAX on 4.8, and cpu 3 on 4.9', () => {
    expect(numbering('4.8', 4, 0, 4, 2).hotAdd(6, 3)).toEqual({
      cpu: 2,
      apicId: 6,
      acpiId: U32_MAX,
      present: true,
    })
    expect(numbering('4.9', 4, 0, 4, 2).hotAdd(6, 3)).toEqual({
      cpu: 3,
      apicId: 6,
      acpiId: U32_MAX,
      present: true,
    })
    // no room left: num_processors >= nr_cpu_ids
    expect(numbering('4.8', 2, 0, 4, 2).hotAdd(6, 3)).toBeNull()
  })

  it('4.11: the hot-added vCPU 3 gets the next logical cpu, 2, with its real ACPI id 3 (acpi_map_cpu passes acpi_id)', () => {
    const n = numbering('4.11', 4, 0, 4, 2)
    // Disabled entries are only counted again: cpus 2 and 3 have no entry until hot-add.
    expect(n.cpus.map((c) => c.cpu)).toEqual([0, 1])
    expect(n.possible).toBe(4)
    expect(n.hotAdd(6, 3)).toEqual({ cpu: 2, apicId: 6, acpiId: 3, present: true })
    expect(n.hotAdd(4, 2)).toEqual({ cpu: 3, apicId: 4, acpiId: 2, present: true })
  })

  it('PVH MADT (libxl): every entry enabled up to Xen 4.18, only the available vCPUs from 4.19 (5cc7347b04)', () => {
    expect(buildMadt(10, 4, 2, true).map((e) => e.enabled)).toEqual([true, true, true, true])
    expect(buildMadt(19, 4, 2, true).map((e) => e.enabled)).toEqual([true, true, false, false])
    // PVHVM on Xen 4.7 keeps hvmloader's 15 entries.
    expect(buildMadt(7, 4, 2)).toHaveLength(15)
    expect(buildMadt(7, 4, 2, true)).toHaveLength(4)
  })
})

describe('the id before it is set', () => {
  it('TV23: -1 and U32_MAX read as 4294967295, 0, or (4.8/4.9 x86 template copy) the boot vCPU', () => {
    expect(idBeforeSetValue('minus-one', 2)).toBe(U32_MAX)
    expect(idBeforeSetValue('u32-max', 2)).toBe(U32_MAX)
    expect(idBeforeSetValue('zero', 2)).toBe(0)
    expect(idBeforeSetValue('boot-id', 2)).toBe(2)
  })
})

describe('ARM vMPIDR', () => {
  it('from Xen 4.6 (bc5deb5930) vCPU n has MPIDR_SMP | Aff1 (n >> 4) << 8 | Aff0 (n & 0xf), and maps back', () => {
    expect(armMpidr(1, 6)).toBe(0x80000001)
    expect(armMpidr(17, 6)).toBe(0x80000101)
    for (const n of [0, 1, 15, 16, 17, 127]) expect(vcpuOfMpidr(armMpidr(n, 7), 7)).toBe(n)
  })

  it('up to Xen 4.5 the whole vCPU id sits in Aff0 (MPIDR_SMP | n), the same value for n < 16', () => {
    expect(armMpidr(17, 5)).toBe(0x80000011)
    expect(vcpuOfMpidr(0x80000011, 5)).toBe(17)
    for (const n of [0, 1, 7, 15]) expect(armMpidr(n, 4)).toBe(armMpidr(n, 6))
  })
})
