/**
 * Scripted guest instructions that fall due while their vcpu is out of the guest for an exit the
 * model caused (steps.ts): delayed until it re-enters, never dropped. On POWER9 every msgsndp,
 * msgclrp and TIR read is such an exit: kvmppc_emulate_doorbell_instr (book3s_hv.c @1e175d2e)
 * emulates it in the host, advances the PC and resumes the guest.
 */
import { describe, expect, it } from 'vitest'
import { runBook3s } from '../../../src/engines/book3s'
import type { Book3sRunResult } from '../../../src/shared/result'
import { book3sScenario } from '../../support/scenarios'

type Doc = Parameters<typeof book3sScenario>[0]
const run = (doc: Doc) => runBook3s(book3sScenario(doc))
const events = <K extends string>(r: Book3sRunResult, kind: K) =>
  r.events.filter((e) => e.kind === kind) as Extract<
    Book3sRunResult['events'][number],
    { kind: K }
  >[]
const runAll = (ids: number[]) => ids.map((vcpu) => ({ at: 0, vcpu, do: 'run' }))

describe('POWER9: the instruction after an emulated msgsndp waits for the re-entry', () => {
  // emul_smt_mode 4, vcpus 4-7 of one guest core; vcpu 6 is thread 2 of it.
  const base = { processor: 'POWER9' as const, cores: 1, emulSmtMode: 4, vcpuIds: [4, 5, 6, 7] }
  const r = run({
    ...base,
    steps: [
      ...runAll([4, 5, 6, 7]),
      { at: 100, vcpu: 6, do: 'msgsndp', tag: 1 },
      { at: 110, vcpu: 6, do: 'read-tir' },
      { at: 120, vcpu: 6, do: 'msgsndp', tag: 3 },
    ],
    until: 1000,
  })

  it('skips none of them', () => {
    expect(events(r, 'step-skipped')).toEqual([])
  })

  it('runs the TIR read when vcpu 6 is back in the guest, 80 ticks late, and it reads 2', () => {
    const [d1] = events(r, 'step-delayed')
    expect(d1).toMatchObject({ vcpu: 6, do: 'read-tir', dueAt: 110, at: 190, delay: 80 })
    expect(d1!.reason).toMatch(/kvmppc_emulate_doorbell_instr/)
    expect(d1!.source).toMatch(/PC \+= 4 and RESUME_GUEST/)
    expect(events(r, 'tir-read')).toMatchObject([{ at: 190, vcpu: 6, value: 2, ok: true }])
  })

  it('keeps the guest order: the second msgsndp runs after the TIR read, one round trip later', () => {
    const delayed = events(r, 'step-delayed').map((e) => [e.do, e.dueAt, e.at])
    expect(delayed).toEqual([
      ['read-tir', 110, 190],
      ['msgsndp', 120, 280],
    ])
    expect(events(r, 'doorbell').map((e) => [e.at, e.intended, e.outcome])).toEqual([
      [100, 5, 'delivered'],
      [280, 7, 'delivered'],
    ])
  })

  it('skips a step only when the vcpu does not return before the end, and says so', () => {
    const cut = run({
      ...base,
      steps: [
        ...runAll([4, 5, 6, 7]),
        { at: 100, vcpu: 6, do: 'msgsndp', tag: 1 },
        { at: 110, vcpu: 6, do: 'read-tir' },
      ],
      until: 150,
    })
    const [skip] = events(cut, 'step-skipped')
    expect(skip).toMatchObject({ at: 150, vcpu: 6, do: 'read-tir' })
    expect(skip!.reason).toMatch(
      /due at tick 110 .*had not re-entered the guest by the end of the run/,
    )
    expect(events(cut, 'tir-read')).toEqual([])
  })
})

describe('other exits the model causes', () => {
  it('a cede due while vcore 1 waits for the only core runs once the host scheduler gives it one', () => {
    // SMT mode 1 on one POWER8 core: vcpu 1's vcore waits behind vcpu 0's until the tick at 10 ms.
    const r = run({
      processor: 'POWER8',
      cores: 1,
      smtMode: 1,
      vcpuIds: [0, 1],
      steps: [...runAll([0, 1]), { at: 500, vcpu: 1, do: 'cede' }],
      until: 1_100_000,
    })
    const [d] = events(r, 'step-delayed')
    expect(d).toMatchObject({ vcpu: 1, do: 'cede', dueAt: 500 })
    expect(d!.reason).toMatch(/vcore 1's runner waits for a free \(sub\)core/)
    expect(d!.at).toBeGreaterThan(1_000_000)
    expect(events(r, 'cede')).toMatchObject([{ vcpu: 1, at: d!.at }])
  })

  it('a step from a ceded vcpu is still skipped at once: the guest is idle in H_CEDE', () => {
    const r = run({
      processor: 'POWER8',
      cores: 1,
      vcpuIds: [0, 1],
      steps: [
        ...runAll([0, 1]),
        { at: 100, vcpu: 1, do: 'cede' },
        { at: 200, vcpu: 1, do: 'msgsndp', tag: 0 },
      ],
      until: 400,
    })
    expect(events(r, 'step-delayed')).toEqual([])
    expect(events(r, 'step-skipped')).toMatchObject([
      { at: 200, vcpu: 1, do: 'msgsndp', reason: 'the vcpu is not executing guest code' },
    ])
  })
})
