import { describe, expect, it } from 'vitest'
import {
  classify,
  emulateMsgsndp,
  emulatedTir,
  intendedSibling,
} from '../../../src/engines/book3s/doorbell'

const exists = (ids: number[]) => (id: number) => ids.includes(id)

describe('kvmppc_emulate_doorbell_instr (vector 17, POWER9, emul_smt_mode 4, sender vcpu 6)', () => {
  const vcpus = exists([4, 5, 6, 7])
  it('RB 0x28000001 targets vcpu 6 - 2 + 1 = 5', () => {
    expect(emulateMsgsndp(6, 0x28000001, 4, '2018', vcpus)).toEqual({ target: 5, ignored: null })
  })
  it('RB 0x28000004 is ignored: tag 4 >= emul_smt_mode', () => {
    expect(emulateMsgsndp(6, 0x28000004, 4, '2018', vcpus)).toEqual({
      target: null,
      ignored: 'tag 4 >= emul_smt_mode 4',
    })
  })
  it('RB 0x00000001 is ignored: message type 0', () => {
    expect(emulateMsgsndp(6, 0x00000001, 4, '2018', vcpus).target).toBeNull()
  })
  it('mfspr TIR gives 6 & 3 = 2', () => {
    expect(emulatedTir(6, 4)).toBe(2)
  })
  it('(0x15 << 27) | 1 passes the 0xf type mask of 2018 and fails the 0x1f mask of 2020', () => {
    const rb = ((0x15 << 27) | 1) >>> 0
    expect(emulateMsgsndp(6, rb, 4, '2018', vcpus).target).toBe(5)
    expect(emulateMsgsndp(6, rb, 4, '2020', vcpus).ignored).toBe(
      'message type 21 is not PPC_DBELL_SERVER (5)',
    )
  })
  it('tag 0x41 maps to target 1 under the 0x3f mask but is ignored under 0x7f (65 >= 4)', () => {
    const rb = (0x28000000 | 0x41) >>> 0
    expect(emulateMsgsndp(6, rb, 4, '2018', vcpus).target).toBe(5)
    expect(emulateMsgsndp(6, rb, 4, '2020', vcpus).ignored).toBe('tag 65 >= emul_smt_mode 4')
  })
  it('a target that does not exist is ignored', () => {
    expect(emulateMsgsndp(6, 0x28000003, 4, '2018', exists([4, 5, 6])).ignored).toBe('no vcpu 7')
  })
})

describe('hardware msgsndp (POWER8)', () => {
  it('the guest means the sibling with virtual thread = tag: vcpu 9, tag 2, 8 threads → vcpu 10', () => {
    expect(intendedSibling(9, 2, 8)).toBe(10)
    expect(intendedSibling(9, 9, 8)).toBeNull()
  })
  it('classifies by who was on the thread reached', () => {
    expect(classify(10, 10)).toBe('delivered')
    expect(classify(9, 10)).toBe('misdelivered')
    expect(classify(null, 10)).toBe('misdelivered')
    expect(classify(10, null)).toBe('lost')
  })
})
