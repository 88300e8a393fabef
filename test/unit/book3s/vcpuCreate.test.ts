/**
 * vcpu creation against test vectors from kvmppc_core_vcpu_create (book3s_hv.c at 4b8473c9, e0b7ec05,
 * 3c313524, 1e175d2e) and KVM's checks.
 */
import { describe, expect, it } from 'vitest'
import { topologyOf } from '../../../src/engines/book3s/topology'
import { createVcpus, packVcpuId } from '../../../src/engines/book3s/vcpuCreate'
import { book3sScenario } from '../../support/scenarios'

function create(doc: Parameters<typeof book3sScenario>[0]) {
  const s = book3sScenario(doc)
  const vcpus = createVcpus(s, topologyOf(s.host.processor, s.host.cores, s.host.subcoresPerCore))
  return (id: number, nth = 0) => vcpus.filter((v) => v.id === id)[nth]!
}

describe('aligned (e0b7ec05): vcore = id / threads, first_vcpuid = vcore * threads, ptid = id - first_vcpuid', () => {
  it('vector 1: POWER8, vcpu 13 → vcore 1, first_vcpuid 8, ptid 5', () => {
    expect(create({ processor: 'POWER8', vcpuIds: [13] })(13)).toMatchObject({
      created: true,
      error: null,
      vcore: 1,
      firstVcpuId: 8,
      ptid: 5,
    })
  })

  it('vector 2: POWER7 (4 threads): vcpu 6 → vcore 1 ptid 2; vcpu 3 → vcore 0 ptid 3; vcpu 4 → vcore 1 ptid 0', () => {
    const v = create({ processor: 'POWER7', vcpuIds: [6, 3, 4] })
    expect(v(6)).toMatchObject({ vcore: 1, firstVcpuId: 4, ptid: 2 })
    expect(v(3)).toMatchObject({ vcore: 0, firstVcpuId: 0, ptid: 3 })
    expect(v(4)).toMatchObject({ vcore: 1, firstVcpuId: 4, ptid: 0 })
  })

  it('vector 12: split-core uses threads per subcore: vcpu 13 → vcore 3 (2-way) or 6 (4-way), first_vcpuid 12, ptid 1', () => {
    expect(create({ processor: 'POWER8', subcoresPerCore: 2, vcpuIds: [13] })(13)).toMatchObject({
      vcore: 3,
      firstVcpuId: 12,
      ptid: 1,
    })
    expect(create({ processor: 'POWER8', subcoresPerCore: 4, vcpuIds: [13] })(13)).toMatchObject({
      vcore: 6,
      firstVcpuId: 12,
      ptid: 1,
    })
  })

  it('vector 13: SMT mode 2 on an unsplit POWER8: vcpu 5 → vcore 2, first_vcpuid 4, ptid 1', () => {
    expect(create({ processor: 'POWER8', smtMode: 2, vcpuIds: [5] })(5)).toMatchObject({
      vcore: 2,
      firstVcpuId: 4,
      ptid: 1,
    })
  })
})

describe('first-come (@4b8473c9): vcore = id / threads_per_core, no first_vcpuid, ptid per dispatch', () => {
  it('gives vcpu 6 on POWER7 vcore 1 and leaves first_vcpuid and ptid null', () => {
    expect(create({ processor: 'POWER7', design: 'first-come', vcpuIds: [6] })(6)).toMatchObject({
      created: true,
      vcore: 1,
      firstVcpuId: null,
      ptid: null,
    })
  })
})

describe('POWER9 packing (1e175d2e): one vcpu per vcore at kvmppc_pack_vcpu_id(id), ptid 0', () => {
  it('vector 14: emulSmtMode 8: 13 → 13, 2056 → 12, 4104 → 10, 16384 refused', () => {
    const v = create({ processor: 'POWER9', emulSmtMode: 8, vcpuIds: [13, 2056, 4104, 16384] })
    expect(v(13)).toMatchObject({ created: true, vcore: 13, firstVcpuId: 13, ptid: 0 })
    expect(v(2056)).toMatchObject({ created: true, vcore: 12, firstVcpuId: 2056, ptid: 0 })
    expect(v(4104)).toMatchObject({ created: true, vcore: 10, ptid: 0 })
    expect(v(16384)).toMatchObject({ created: false, error: 'EINVAL', vcore: null })
    expect(v(16384).reason).toMatch(/KVM_MAX_VCPU_ID \(16384 = MAX_SMT_THREADS \* KVM_MAX_VCORES/)
  })

  it('vector 15: emulSmtMode 4: 2052 → 6, 4100 → 5, 6148 → 7, 8192 refused', () => {
    const v = create({ processor: 'POWER9', emulSmtMode: 4, vcpuIds: [2052, 4100, 6148, 8192] })
    expect(v(2052).vcore).toBe(6)
    expect(v(4100).vcore).toBe(5)
    expect(v(6148).vcore).toBe(7)
    expect(v(8192)).toMatchObject({ created: false, error: 'EINVAL' })
    expect(v(8192).reason).toMatch(/KVM_MAX_VCPUS \* emul_smt_mode \(8192\)/)
  })

  it('vector 16: ids 4 then 2048 both pack to vcore 4: the second fails with EINVAL (collision)', () => {
    const v = create({ processor: 'POWER9', emulSmtMode: 8, vcpuIds: [4, 2048] })
    expect(v(4)).toMatchObject({ created: true, vcore: 4 })
    expect(v(2048)).toMatchObject({ created: false, error: 'EINVAL' })
    expect(v(2048).reason).toMatch(/collision/)
  })

  it('packVcpuId matches the kernel for the vector ids and gives null where the kernel WARNs', () => {
    expect(packVcpuId(2056, 8, 2048)).toBe(12)
    expect(packVcpuId(4100, 4, 2048)).toBe(5)
    expect(packVcpuId(2047 + 2048 * 1, 8, 2048)).toBeNull() // 2047 + 4 >= 2048
  })

  it('a repeated id on POWER9 collides in the arch create before the generic -EEXIST check', () => {
    const v = create({ processor: 'POWER9', vcpuIds: [7, 7] })
    expect(v(7, 1)).toMatchObject({ created: false, error: 'EINVAL' })
  })
})

describe("KVM's generic limits (kvm_vm_ioctl_create_vcpu)", () => {
  it('2014 rules: id >= NR_CPUS is -EINVAL', () => {
    const v = create({ processor: 'POWER8', nrCpus: 16, vcpuIds: [15, 16] })
    expect(v(15).created).toBe(true)
    expect(v(16)).toMatchObject({
      created: false,
      error: 'EINVAL',
      vcore: null,
      firstVcpuId: null,
      ptid: null,
    })
    expect(v(16).reason).toMatch(/KVM_MAX_VCPUS \(16\).*338c7dba/)
  })

  it('a repeated id is -EEXIST and the first one stays', () => {
    const v = create({ processor: 'POWER8', vcpuIds: [3, 3] })
    expect(v(3, 0).created).toBe(true)
    expect(v(3, 1)).toMatchObject({ created: false, error: 'EEXIST' })
  })

  it('with an SMT mode below threads per subcore (2017 kernels) ids go up to 8 × NR_CPUS, bounded by KVM_MAX_VCORES', () => {
    const v = create({ processor: 'POWER8', smtMode: 1, nrCpus: 16, vcpuIds: [15, 16, 127] })
    expect(v(15)).toMatchObject({ created: true, vcore: 15, ptid: 0 })
    expect(v(16)).toMatchObject({ created: false, error: 'EINVAL' })
    expect(v(16).reason).toMatch(/vcore 16 >= KVM_MAX_VCORES \(16\)/)
    expect(v(127)).toMatchObject({ created: false, error: 'EINVAL' })
  })

  it('refuses vcpus past KVM_MAX_VCPUS in number', () => {
    const v = create({ processor: 'POWER8', nrCpus: 4, vcpuIds: [0, 1, 2, 3, 3] })
    expect(v(3, 1)).toMatchObject({ created: false, error: 'EINVAL' })
    expect(v(3, 1).reason).toMatch(/online_vcpus == KVM_MAX_VCPUS/)
  })
})

describe('KVM_MAX_VCPU_ID as each kernel defines it (arch/powerpc/include/asm/kvm_host.h)', () => {
  it('0b1b1dfd: threads_per_subcore * KVM_MAX_VCORES, so a 4-way split POWER8 refuses id 4096 there first', () => {
    // threads_per_subcore 2, NR_CPUS 2048: the limit is 4096, not MAX_SMT_THREADS * 2048 = 16384.
    const v = create({ processor: 'POWER8', subcoresPerCore: 4, smtMode: 1, vcpuIds: [4095, 4096] })
    expect(v(4095)).toMatchObject({ created: false, error: 'EINVAL' })
    expect(v(4095).reason).toMatch(/vcore 4095 >= KVM_MAX_VCORES \(2048\)/)
    expect(v(4096)).toMatchObject({ created: false, error: 'EINVAL' })
    expect(v(4096).reason).toMatch(
      /id 4096 >= KVM_MAX_VCPU_ID \(4096 = threads_per_subcore \* KVM_MAX_VCORES, 0b1b1dfd\)/,
    )
  })

  it('2-way split POWER8 with SMT mode 2: ids up to 8191 pass the id check, 8192 does not', () => {
    const v = create({
      processor: 'POWER8',
      subcoresPerCore: 2,
      smtMode: 2,
      vcpuIds: [4095, 8191, 8192],
    })
    expect(v(4095)).toMatchObject({ created: true, vcore: 2047, firstVcpuId: 4094, ptid: 1 })
    expect(v(8191).reason).toMatch(/vcore 4095 >= KVM_MAX_VCORES/)
    expect(v(8192).reason).toMatch(/KVM_MAX_VCPU_ID \(8192 = threads_per_subcore/)
  })
})

describe('kvm.kernel decides the id limit (arch/powerpc/include/asm/kvm_host.h)', () => {
  it('3.14: the generic id >= KVM_MAX_VCPUS test refuses vcpu 2048 with -EINVAL', () => {
    expect(create({ processor: 'POWER8', kernel: '3.14', vcpuIds: [2048] })(2048)).toMatchObject({
      created: false,
      error: 'EINVAL',
    })
  })

  it('4.8 (0b1b1dfd): KVM_MAX_VCPU_ID = threads_per_subcore × KVM_MAX_VCORES: unsplit POWER8 takes 16383, refuses 16384', () => {
    const v = create({ processor: 'POWER8', kernel: '4.8', vcpuIds: [16383, 16384] })
    expect(v(16383)).toMatchObject({ created: true, vcore: 2047, ptid: 7 })
    expect(v(16384)).toMatchObject({ created: false, error: 'EINVAL' })
    expect(v(16384).reason).toContain('KVM_MAX_VCPU_ID (16384 = threads_per_subcore')
  })

  it('4.8 under 4-way split: the limit is 4096, so vcpu 4096 is refused and 4095 lands in vcore 2047', () => {
    const v = create({
      processor: 'POWER8',
      kernel: '4.8',
      subcoresPerCore: 4,
      vcpuIds: [4095, 4096],
    })
    expect(v(4095)).toMatchObject({ created: true, vcore: 2047, ptid: 1 })
    expect(v(4096)).toMatchObject({ created: false, error: 'EINVAL' })
  })

  it('4.19: MAX_SMT_THREADS × KVM_MAX_VCORES lets 4-way split id 4096 past the generic test, and KVM_MAX_VCORES refuses it', () => {
    const v = create({ processor: 'POWER8', kernel: '4.19', subcoresPerCore: 4, vcpuIds: [4096] })
    expect(v(4096)).toMatchObject({ created: false, error: 'EINVAL' })
    expect(v(4096).reason).toContain('vcore 2048 >= KVM_MAX_VCORES (2048)')
  })
})
