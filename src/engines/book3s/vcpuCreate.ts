/**
 * KVM_CREATE_VCPU on Book3S HV: which vcore each vcpu joins, the vcore's `first_vcpuid`, and the
 * vcpu's virtual thread (`ptid`), or the errno KVM refuses it with.
 *
 * `first-come` follows the 2013 code (book3s_hv.c @4b8473c9): `core = id / threads_per_core`, no
 * `first_vcpuid`, the ptid is handed out at each dispatch.
 * `aligned` follows e0b7ec05 "Align physical and virtual CPU thread numbers": `core = id / threads`,
 * `first_vcpuid = core * threads`, `ptid = id - first_vcpuid`, with `threads` the SMT mode
 * (threads per subcore unless KVM_CAP_PPC_SMT set it, 3c313524). On POWER9 each vcpu is its own
 * vcore at `kvmppc_pack_vcpu_id(id)`, with ptid 0 (1e175d2e).
 *
 * The checks run in the order KVM runs them:
 * - 2014 kernels (kvm_vm_ioctl_create_vcpu after 338c7dba "KVM: Improve create VCPU parameter"):
 *   `id >= KVM_MAX_VCPUS` -EINVAL; arch create (`core >= KVM_MAX_VCORES` -EINVAL);
 *   `online_vcpus == KVM_MAX_VCPUS` -EINVAL; a vcpu with the same id -EEXIST.
 * - kernels with KVM_MAX_VCPU_ID (0b1b1dfd, 2016; `kvm.kernel` 4.8 and later, and the default
 *   wherever a setting added after 2016 is used: an SMT mode below threads per subcore, POWER9): `id >= KVM_MAX_VCPU_ID` -EINVAL;
 *   `created_vcpus == KVM_MAX_VCPUS` -EINVAL; arch create (POWER9: `id >= KVM_MAX_VCPUS *
 *   emul_smt_mode` -EINVAL, then a packing collision -EINVAL); a vcpu with the same id -EEXIST.
 * KVM_MAX_VCPUS = KVM_MAX_VCORES = NR_CPUS. KVM_MAX_VCPU_ID is what `kvm.kernel` defines (arch/powerpc/include/asm/kvm_host.h):
 * - `threads_per_subcore * KVM_MAX_VCORES` as 0b1b1dfd "kvm: introduce KVM_MAX_VCPU_ID" added it
 *   (2016), the limit in 4.8 and 4.13 (KVM_CAP_PPC_SMT, 3c313524): 16384 on an unsplit
 *   POWER8 with NR_CPUS 2048, 8192 under 2-way split, 4096 under 4-way split;
 * - `MAX_SMT_THREADS * KVM_MAX_VCORES` from Paul Mackerras's "KVM: PPC: Book3S HV: Allow creating
 *   max number of VCPUs on POWER9" (merged beside 1e175d2e in the 4.19 KVM-PPC pull; its commit id
 *   not verified), the limit from 4.19 on: threads_per_subcore is 4 there, which allowed
 *   only half of KVM_MAX_VCPUS in emulated SMT mode 8.
 */
import type { VcpuDetail } from '../../shared/result'
import { MAX_SMT_THREADS, type Book3sScenario } from '../../shared/scenario/book3sScenario'
import { BOOK3S_DESIGN_TABLE } from '../../designs/book3s'
import { BOOK3S_KERNEL_TABLE } from '../../designs/book3sKernels'
import type { Topology } from './topology'

/** `kvmppc_pack_vcpu_id` block offsets (kvm_book3s.h, 1e175d2e). */
export const PACK_BLOCK_OFFSETS = [0, 4, 2, 6, 1, 5, 3, 7] as const

export type CreatedVcpu = VcpuDetail

/**
 * `kvmppc_pack_vcpu_id(kvm, id)` (kvm_book3s.h, 1e175d2e): folds ids at or above KVM_MAX_VCPUS
 * into the slots a guest with `emulSmtMode` threads per core leaves empty. Returns null where the
 * kernel WARNs and returns 0 (block >= 8 or packed >= KVM_MAX_VCPUS).
 */
export function packVcpuId(id: number, emulSmtMode: number, maxVcpus: number): number | null {
  const stride = emulSmtMode
  const block = Math.floor(id / maxVcpus) * (MAX_SMT_THREADS / stride)
  const offset = PACK_BLOCK_OFFSETS[block]
  if (offset === undefined) return null
  const packed = (id % maxVcpus) + offset
  return packed >= maxVcpus ? null : packed
}

/** True when the scenario's kernel has KVM_MAX_VCPU_ID (0b1b1dfd, 2016) and its order of checks. */
export function usesVcpuIdLimit(s: Book3sScenario): boolean {
  return BOOK3S_KERNEL_TABLE[s.kvm.kernel].vcpuIdLimit !== 'max-vcpus'
}

/** KVM_MAX_VCPU_ID in the scenario's kernel, and where it is defined. */
export function maxVcpuIdOf(
  s: Book3sScenario,
  topo: Topology,
): { value: number; definedBy: string } {
  const maxVcores = s.kvm.nrCpus
  const limit = BOOK3S_KERNEL_TABLE[s.kvm.kernel].vcpuIdLimit
  if (limit === 'max-smt-threads') {
    return {
      value: MAX_SMT_THREADS * maxVcores,
      definedBy:
        'MAX_SMT_THREADS * KVM_MAX_VCORES, "Allow creating max number of VCPUs on POWER9" (4.19)',
    }
  }
  if (limit === 'threads-per-subcore') {
    return {
      value: topo.threadsPerSubcore * maxVcores,
      definedBy: 'threads_per_subcore * KVM_MAX_VCORES, 0b1b1dfd',
    }
  }
  return { value: maxVcores, definedBy: 'KVM_MAX_VCPUS: no KVM_MAX_VCPU_ID before 0b1b1dfd' }
}

/** Where KVM puts a vcpu it accepts, or why the arch create refuses it. */
type Placement =
  | { ok: true; core: number; firstVcpuId: number | null; ptid: number | null }
  | { ok: false; error: string; reason: string }

/** The arch part of KVM_CREATE_VCPU (kvmppc_core_vcpu_create_hv) for one id. */
interface ArchCreate {
  place(id: number, vcores: ReadonlySet<number>): Placement
}

/** POWER9: each vcpu its own vcore at `kvmppc_pack_vcpu_id(id)`, ptid 0 (1e175d2e). */
function power9Create(emulSmtMode: number, maxVcpus: number): ArchCreate {
  return {
    place(id, vcores) {
      const limit = maxVcpus * emulSmtMode
      if (id >= limit) {
        return {
          ok: false,
          error: 'EINVAL',
          reason: `id ${id} >= KVM_MAX_VCPUS * emul_smt_mode (${limit}): kvmppc_core_vcpu_create_hv @1e175d2e`,
        }
      }
      // Where the kernel WARNs (packing gives null) it uses vcore 0; the collision check decides.
      const core = packVcpuId(id, emulSmtMode, maxVcpus) ?? 0
      if (vcores.has(core)) {
        return {
          ok: false,
          error: 'EINVAL',
          reason: `collision on id: vcore ${core} exists (kvmppc_pack_vcpu_id): kvmppc_core_vcpu_create_hv @1e175d2e`,
        }
      }
      return { ok: true, core, firstVcpuId: id, ptid: 0 }
    },
  }
}

/** POWER7/POWER8: vcore `id / threads`; the design decides whether the ptid is fixed now. */
function threadedCreate(threads: number, fixedThread: boolean, maxVcores: number): ArchCreate {
  return {
    place(id) {
      const core = Math.floor(id / threads)
      if (core >= maxVcores) {
        return {
          ok: false,
          error: 'EINVAL',
          reason: `vcore ${core} >= KVM_MAX_VCORES (${maxVcores}): kvmppc_core_vcpu_create_hv`,
        }
      }
      if (!fixedThread) return { ok: true, core, firstVcpuId: null, ptid: null }
      const firstVcpuId = core * threads
      return { ok: true, core, firstVcpuId, ptid: id - firstVcpuId }
    },
  }
}

/** The generic checks of kvm_vm_ioctl_create_vcpu before the arch create, in the kernel's order. */
function genericRefusal(
  id: number,
  count: number,
  modern: boolean,
  maxVcpus: number,
  idLimit: { value: number; definedBy: string },
): [string, string] | null {
  if (!modern && id >= maxVcpus) {
    return ['EINVAL', `id ${id} >= KVM_MAX_VCPUS (${maxVcpus}): kvm_vm_ioctl_create_vcpu @338c7dba`]
  }
  if (modern && id >= idLimit.value) {
    return [
      'EINVAL',
      `id ${id} >= KVM_MAX_VCPU_ID (${idLimit.value} = ${idLimit.definedBy}): kvm_vm_ioctl_create_vcpu @0b1b1dfd`,
    ]
  }
  if (modern && count === maxVcpus) {
    return ['EINVAL', `created_vcpus == KVM_MAX_VCPUS (${maxVcpus}): kvm_vm_ioctl_create_vcpu`]
  }
  return null
}

export function createVcpus(s: Book3sScenario, topo: Topology): CreatedVcpu[] {
  const maxVcpus = s.kvm.nrCpus
  const idLimit = maxVcpuIdOf(s, topo)
  const modern = usesVcpuIdLimit(s)
  const design = BOOK3S_DESIGN_TABLE[s.kvm.design]
  const arch =
    s.host.processor === 'POWER9'
      ? power9Create(s.kvm.emulSmtMode, maxVcpus)
      : threadedCreate(
          design.vcoreThreads({ threadsPerCore: topo.threadsPerCore, smtMode: s.kvm.smtMode }),
          design.fixedThread,
          s.kvm.nrCpus,
        )

  const byId = new Set<number>()
  const vcores = new Set<number>()
  let count = 0
  const out: CreatedVcpu[] = []
  const refuse = (id: number, error: string, reason: string) =>
    out.push({ id, created: false, error, vcore: null, firstVcpuId: null, ptid: null, reason })

  for (const id of s.guest.vcpuIds) {
    const generic = genericRefusal(id, count, modern, maxVcpus, idLimit)
    if (generic) {
      refuse(id, ...generic)
      continue
    }
    const p = arch.place(id, vcores)
    if (!p.ok) {
      refuse(id, p.error, p.reason)
      continue
    }
    if (!modern && count === maxVcpus) {
      refuse(
        id,
        'EINVAL',
        `online_vcpus == KVM_MAX_VCPUS (${maxVcpus}): kvm_vm_ioctl_create_vcpu @338c7dba`,
      )
      continue
    }
    if (byId.has(id)) {
      refuse(id, 'EEXIST', `a vcpu with id ${id} exists: kvm_vm_ioctl_create_vcpu`)
      continue
    }
    byId.add(id)
    vcores.add(p.core)
    count++
    out.push({
      id,
      created: true,
      error: null,
      vcore: p.core,
      firstVcpuId: p.firstVcpuId,
      ptid: p.ptid,
      reason: null,
    })
  }
  return out
}
