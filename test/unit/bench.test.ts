/**
 * The benchmark cases are real scenarios: xen-large is a 2048-vCPU PVHVM boot plus IPI traffic of
 * at least a million simulation events (issues 4 and 5), every one of them answered as the model
 * says. Figures come from `npm run bench`, never from here.
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { CASES, XEN_LARGE_VCPUS } from '../../bench/cases'
import { runScenario } from '../../src/engines'

describe('bench cases', () => {
  it('every case builds a valid scenario', () => {
    expect(CASES.map((c) => c.name)).toEqual(['book3s-large', 'xen-large'])
    for (const c of CASES) expect(c.build().engine).toBe(c.name.split('-')[0])
  })

  it('xen-large: 2048 CPUs online, then over a million events of IPIs, every call-function done', () => {
    const r = runScenario(CASES.find((c) => c.name === 'xen-large')!.build())
    if (r.engine !== 'xen') throw new Error('not a xen result')
    expect(r.run.events).toBeGreaterThanOrEqual(1_000_000)
    expect(r.details.cpus.filter((c) => c.state === 'online')).toHaveLength(XEN_LARGE_VCPUS)
    const ipis = r.events.filter((e) => e.kind === 'ipi')
    // 160 call-functions to 2047 CPUs each, and a reschedule IPI after each
    expect(ipis).toHaveLength(160 * (XEN_LARGE_VCPUS - 1) + 160)
    expect(ipis.every((e) => e.outcome === 'delivered' && e.deliveredToCpu === e.to)).toBe(true)
    const calls = r.events.filter((e) => e.kind === 'call-function')
    expect(calls).toHaveLength(160)
    expect(calls.every((e) => !e.hung && e.finished === XEN_LARGE_VCPUS - 1)).toBe(true)
    // Xen builds at most 128 vCPUs for an HVM guest: the model extends its rules, and says so
    expect(r.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(['domain-buildable'])
  })
})

describe('bench command line', () => {
  const bench = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], {
      encoding: 'utf8',
    })

  it('refuses a V8 helper pool it cannot use, naming the option and what is allowed', () => {
    const r = bench('--v8-pool', '0')
    expect(r.status).not.toBe(0)
    expect(r.stderr).toContain('--v8-pool: a whole number from 1 to 64, or default (got 0)')
  })

  it('names the cases when asked for one that does not exist', () => {
    const r = bench('--case', 'nope')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('no bench case named nope; cases: book3s-large, xen-large')
  })
})
