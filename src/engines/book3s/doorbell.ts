/**
 * msgsndp and TIR: where a guest's directed privileged doorbell lands, and what the guest reads as
 * its thread number.
 *
 * POWER8 (ISA 2.07, hardware): msgsndp targets physical thread `tag` of the issuing thread's
 * sub-processor and sets that thread's DPDES bit; the guest names the target by its own idea of the
 * thread number (`doorbell_core_ipi`: tag = cpu_thread_in_core). So the doorbell reaches whatever
 * vcpu runs on physical thread `tag` now: the sibling the guest meant only when virtual thread N
 * runs on physical thread N, which is what e0b7ec05 arranges (and its commit message says why).
 * POWER7 (ISA 2.06) has no msgsndp; guests send IPIs with H_IPI through XICS.
 * POWER9: every thread is its own sub-processor, so KVM clears HFSCR[MSGP] and emulates msgsndp,
 * msgclrp and mfspr TIR in `kvmppc_emulate_doorbell_instr` (579006944e0d, code read @1e175d2e).
 */
import type { DoorbellOutcome } from '../../shared/result'

/** PPC_DBELL_SERVER (5) in the type field: `PPC_DBELL_TYPE(t) = (t & 0xf) << 27`. */
export const DBELL_SERVER_RB = 0x28000000

/**
 * The masks of `kvmppc_emulate_doorbell_instr`: at 1e175d2e `type = (RB >> 27) & 0xf`,
 * `tag = RB & 0x3f`; Leonardo Bras's 2020 fix widens them to 0x1f / 0x7f (the ISA 3.0B fields).
 * The upstream commit of the fix is not verified (a later book3s_hv.c has the fixed masks).
 */
export const P9_MASKS = {
  '2018': { type: 0xf, tag: 0x3f },
  '2020': { type: 0x1f, tag: 0x7f },
} as const
export type P9MaskEra = keyof typeof P9_MASKS

export interface P9Doorbell {
  /** The target vcpu id, or null when the instruction is ignored. */
  target: number | null
  /** Why it was ignored, or null. */
  ignored: string | null
}

/**
 * `kvmppc_emulate_doorbell_instr`, msgsndp: thr = id & (emul_smt_mode - 1); ignore a type other
 * than PPC_DBELL_SERVER and a tag >= emul_smt_mode; else the target is vcpu id - thr + tag, ignored
 * when no such vcpu exists. PC += 4 in every case.
 */
export function emulateMsgsndp(
  senderId: number,
  rb: number,
  emulSmtMode: number,
  era: P9MaskEra,
  vcpuExists: (id: number) => boolean,
): P9Doorbell {
  const masks = P9_MASKS[era]
  const type = (rb >>> 27) & masks.type
  if (type !== 5)
    return { target: null, ignored: `message type ${type} is not PPC_DBELL_SERVER (5)` }
  const arg = rb & masks.tag
  if (arg >= emulSmtMode) {
    return { target: null, ignored: `tag ${arg} >= emul_smt_mode ${emulSmtMode}` }
  }
  const thr = senderId & (emulSmtMode - 1)
  const target = senderId - thr + arg
  if (!vcpuExists(target)) return { target: null, ignored: `no vcpu ${target}` }
  return { target, ignored: null }
}

/** `mfspr TIR` under POWER9 emulation: thr = vcpu_id & (emul_smt_mode - 1). */
export function emulatedTir(vcpuId: number, emulSmtMode: number): number {
  return vcpuId & (emulSmtMode - 1)
}

/**
 * The sibling a guest means by `tag`: the vcpu with virtual thread `tag` in the sender's virtual
 * core, where the guest believes vcpu v is thread v mod threads of its core.
 */
export function intendedSibling(senderId: number, tag: number, threads: number): number | null {
  if (tag >= threads) return null
  return senderId - (senderId % threads) + tag
}

/** How a hardware doorbell ended, from who was meant and who was on the thread it reached. */
export function classify(intended: number | null, deliveredTo: number | null): DoorbellOutcome {
  if (deliveredTo === null) return 'lost'
  return deliveredTo === intended ? 'delivered' : 'misdelivered'
}
