import { describe, expect, it } from 'vitest'
import { parseVary, setPath } from '../../../src/cli/sweep'

describe('parseVary', () => {
  it('reads a..b, a..b:step, a..b*factor and lists', () => {
    expect(parseVary('guest.vcpus=2..5')).toEqual({
      path: ['guest', 'vcpus'],
      values: [2, 3, 4, 5],
    })
    expect(parseVary('guest.vcpus=2..10:4')).toEqual({
      path: ['guest', 'vcpus'],
      values: [2, 6, 10],
    })
    expect(parseVary('guest.vcpus=2..64*2')).toEqual({
      path: ['guest', 'vcpus'],
      values: [2, 4, 8, 16, 32, 64],
    })
    expect(parseVary('host.cores=1,3,9')).toEqual({ path: ['host', 'cores'], values: [1, 3, 9] })
  })

  it('says what is wrong with a bad spec', () => {
    expect(parseVary('vcpus')).toMatch(/^--vary: must be path=range/)
    expect(parseVary('guest.vcpus=5..2')).toBe('--vary: the range must go up (got 5..2)')
    expect(parseVary('guest.vcpus=1..5*1')).toBe(
      '--vary: a geometric step must be more than 1 (got 1)',
    )
    expect(parseVary('guest.vcpus=1..100000')).toBe('--vary: at most 400 values (got more)')
    expect(parseVary('guest.vcpus=a..b')).toMatch(/^--vary: the range must be a\.\.b/)
  })
})

describe('setPath', () => {
  it('copies the document along the path and leaves the original alone', () => {
    const doc = { guest: { vcpus: 4, type: 'x' }, name: 'n' }
    const out = setPath(doc, ['guest', 'vcpus'], 8) as typeof doc
    expect(out).toEqual({ guest: { vcpus: 8, type: 'x' }, name: 'n' })
    expect(doc.guest.vcpus).toBe(4)
    expect(setPath(doc, ['kvm', 'smtMode'], 2)).toMatchObject({ kvm: { smtMode: 2 } })
  })
})
