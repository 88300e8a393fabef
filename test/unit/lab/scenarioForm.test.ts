/** The editor's form, read from the scenario schema. */
import { describe, expect, it } from 'vitest'
import {
  formatIntList,
  getAt,
  parseIntList,
  scenarioFields,
  setAt,
  starterScenario,
  type FieldSpec,
} from '../../../src/shared/lab/scenarioForm'
import { XEN_VERBS, parseScenario } from '../../../src/shared/scenario'

const find = (fields: FieldSpec[], path: string): FieldSpec | undefined => {
  for (const f of fields) {
    if (f.path.join('.') === path) return f
    if (f.kind === 'object') {
      const inner = find(f.fields, path)
      if (inner) return inner
    }
  }
  return undefined
}

describe('scenarioFields', () => {
  it('has every book3s field with its kind, bounds, choices and default', () => {
    const f = scenarioFields('book3s')
    expect(f.map((x) => x.key)).toEqual([
      'schemaVersion',
      'name',
      'description',
      'engine',
      'seed',
      'host',
      'kvm',
      'guest',
      'workload',
    ])
    expect(find(f, 'host.processor')).toMatchObject({
      kind: 'enum',
      options: ['POWER7', 'POWER8', 'POWER9'],
    })
    expect(find(f, 'host.cores')).toMatchObject({
      kind: 'int',
      min: 1,
      max: 1024,
      default: 1,
      optional: true,
    })
    expect(find(f, 'host.subcoresPerCore')).toMatchObject({ kind: 'enum', options: [1, 2, 4] })
    expect(find(f, 'guest.vcpuIds')).toMatchObject({ kind: 'intList', min: 0 })
    const steps = find(f, 'workload.steps')
    expect(steps?.kind).toBe('list')
    if (steps?.kind === 'list' && steps.item.kind === 'object') {
      expect(steps.item.fields.map((x) => x.key)).toEqual([
        'at',
        'vcpu',
        'do',
        'tag',
        'rb',
        'hostCpu',
      ])
    }
    expect(find(f, 'workload.random.rates.msgsndp')).toMatchObject({ kind: 'number', max: 1000 })
    expect(find(f, 'kvm.design')?.hint).toContain('e0b7ec05')
  })

  it('has the xen steps as a choice of verbs, each with its own fields', () => {
    const steps = find(scenarioFields('xen'), 'workload.steps')
    expect(steps?.kind === 'list' && steps.item.kind).toBe('union')
    if (steps?.kind === 'list' && steps.item.kind === 'union') {
      expect(Object.keys(steps.item.variants)).toEqual([...XEN_VERBS])
      expect(steps.item.variants['send-ipi']!.map((x) => x.key)).toEqual([
        'at',
        'cpu',
        'do',
        'target',
        'vector',
      ])
    }
  })
})

describe('the starter scenarios', () => {
  it('are valid for both engines', () => {
    expect(parseScenario(starterScenario('book3s')).ok).toBe(true)
    expect(parseScenario(starterScenario('xen')).ok).toBe(true)
  })
})

describe('getAt and setAt', () => {
  it('write a copy along the path, create what is missing, remove with undefined', () => {
    const doc = { host: { processor: 'POWER8' } }
    const next = setAt(doc, ['host', 'cores'], 2)
    expect(next).toEqual({ host: { processor: 'POWER8', cores: 2 } })
    expect(doc).toEqual({ host: { processor: 'POWER8' } })
    expect(setAt(next, ['host', 'cores'], undefined)).toEqual(doc)
    expect(setAt({}, ['workload', 'steps', 0, 'at'], 5)).toEqual({
      workload: { steps: [{ at: 5 }] },
    })
    expect(getAt(next, ['host', 'cores'])).toBe(2)
    expect(getAt(next, ['guest', 'vcpus'])).toBeUndefined()
  })
})

describe('integer lists', () => {
  it('read ranges and commas, and say which token is wrong', () => {
    expect(parseIntList('0, 1, 4-7 13')).toEqual({ ok: true, value: [0, 1, 4, 5, 6, 7, 13] })
    expect(parseIntList('1, x')).toEqual({
      ok: false,
      message: '“x” is not an integer or a range like 4-7',
    })
    expect(formatIntList([0, 1, 2, 3, 9, 10, 13])).toBe('0-3, 9, 10, 13')
  })
})
