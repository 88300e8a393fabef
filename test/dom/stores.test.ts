// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { runBook3s } from '../../src/engines/book3s'
import { setLabClient } from '../../src/renderer/src/api/labClient'
import { usePresetsStore } from '../../src/renderer/src/stores/presets'
import { useRunStore } from '../../src/renderer/src/stores/run'
import { parseScenario, type Book3sScenario } from '../../src/shared/scenario'
import { fakeClient } from './fakeClient'

const doc = {
  schemaVersion: 1,
  name: 'P8',
  engine: 'book3s',
  host: { processor: 'POWER8', cores: 2 },
  kvm: { design: 'aligned' },
  guest: { vcpuIds: [0, 13] },
}
const parsed = parseScenario(doc)
const result = runBook3s((parsed.ok ? parsed.scenario : null) as Book3sScenario)
const summary = {
  id: 'p8',
  name: 'P8',
  description: '',
  engine: 'book3s' as const,
  design: 'aligned',
}

beforeEach(() => setActivePinia(createPinia()))

describe('usePresetsStore', () => {
  it('loads the list, groups it by engine and selects a preset with its document', async () => {
    const { client, calls } = fakeClient({ presets: [summary], documents: { p8: doc } })
    setLabClient(client)
    const s = usePresetsStore()
    await s.load()
    expect(s.byEngine.map((g) => [g.engine, g.presets.length])).toEqual([['book3s', 1]])
    expect(await s.select('p8')).toBe(true)
    expect(s.selected?.name).toBe('P8')
    expect(s.document).toEqual(doc)
    expect(calls.map((c) => c.method)).toEqual(['listPresets', 'readPreset'])
  })

  it('keeps the error of a missing preset and the previous selection', async () => {
    setLabClient(fakeClient({ presets: [summary], documents: { p8: doc } }).client)
    const s = usePresetsStore()
    await s.load()
    await s.select('p8')
    expect(await s.select('gone')).toBe(false)
    expect(s.error?.code).toBe('not-found')
    expect(s.selectedId).toBe('p8')
  })
})

describe('useRunStore', () => {
  it("keeps the latest result per engine and only this run's progress", async () => {
    const { client, listeners } = fakeClient({
      result,
      progress: [{ events: 5, tick: 1, until: 10, recorded: 3, recordLimit: 100 }],
    })
    setLabClient(client)
    const s = useRunStore()
    const out = await s.run(doc)
    expect(out?.engine).toBe('book3s')
    expect(s.latestBook3s).toBe(result)
    expect(s.latestXen).toBeNull()
    expect(s.progress).toMatchObject({ events: 5 })
    expect(s.running).toBe(false)
    expect(listeners.size).toBe(0)
  })

  it('keeps an invalid-scenario error with its problems and no result', async () => {
    setLabClient(fakeClient({}).client)
    const s = useRunStore()
    expect(await s.run({})).toBeNull()
    expect(s.error?.problems?.[0]?.path).toBe('guest.maxVcpus')
    expect(s.latest).toBeNull()
  })
})
