/** Builders for test scenarios: a valid document in, a normalised scenario out. */
import type { Book3sDesignName } from '../../src/designs/book3s'
import type { Book3sKernelName } from '../../src/designs/book3sKernels'
import { parseScenario, problemLine, type Book3sScenario } from '../../src/shared/scenario'

export function book3sScenario(doc: {
  processor: 'POWER7' | 'POWER8' | 'POWER9'
  cores?: number
  subcoresPerCore?: number
  hz?: number
  design?: Book3sDesignName
  kernel?: Book3sKernelName
  indepThreadsMode?: boolean
  smtMode?: number
  emulSmtMode?: number
  nrCpus?: number
  vcpuIds: number[]
  steps?: unknown[]
  until?: number
}): Book3sScenario {
  const r = parseScenario({
    schemaVersion: 1,
    name: 'test',
    engine: 'book3s',
    host: {
      processor: doc.processor,
      cores: doc.cores ?? 4,
      ...(doc.subcoresPerCore ? { subcoresPerCore: doc.subcoresPerCore } : {}),
      ...(doc.hz ? { hz: doc.hz } : {}),
    },
    kvm: {
      design: doc.design ?? 'aligned',
      ...(doc.kernel ? { kernel: doc.kernel } : {}),
      ...(doc.indepThreadsMode !== undefined ? { indepThreadsMode: doc.indepThreadsMode } : {}),
      ...(doc.smtMode ? { smtMode: doc.smtMode } : {}),
      ...(doc.emulSmtMode ? { emulSmtMode: doc.emulSmtMode } : {}),
      ...(doc.nrCpus ? { nrCpus: doc.nrCpus } : {}),
    },
    guest: { vcpuIds: doc.vcpuIds },
    workload: { steps: doc.steps ?? [], ...(doc.until ? { until: doc.until } : {}) },
  })
  if (!r.ok) throw new Error(r.problems.map(problemLine).join('\n'))
  return r.scenario as Book3sScenario
}

/** A xen guest and workload in few words; `xenDocument` makes the scenario document. */
export interface XenDoc {
  version?: string
  type: 'pv' | 'pvhvm' | 'pvh' | 'arm'
  gic?: 'v2' | 'v3'
  maxVcpus: number
  onlineVcpus?: number
  nrCpus?: number
  eventChannels?: 'fifo' | '2l'
  kdump?: number
  design: string
  era?: '4.8' | '4.9' | '4.11' | '5.4' | '5.10' | '5.18'
  idBeforeSet?: string
  steps?: unknown[]
  until?: number
  seed?: number
}

export function xenDocument(d: XenDoc): Record<string, unknown> {
  return {
    schemaVersion: 1,
    name: 'test',
    engine: 'xen',
    ...(d.seed !== undefined ? { seed: d.seed } : {}),
    xen: { version: d.version ?? '4.7' },
    guest: {
      type: d.type,
      maxVcpus: d.maxVcpus,
      ...(d.onlineVcpus !== undefined ? { onlineVcpus: d.onlineVcpus } : {}),
      ...(d.nrCpus !== undefined ? { nrCpus: d.nrCpus } : {}),
      ...(d.eventChannels ? { eventChannels: d.eventChannels } : {}),
      ...(d.gic ? { gic: d.gic } : {}),
      ...(d.kdump !== undefined ? { boot: { kind: 'kdump', crashedVcpu: d.kdump } } : {}),
    },
    linux: {
      design: d.design,
      ...(d.era ? { era: d.era } : {}),
      ...(d.idBeforeSet ? { idBeforeSet: d.idBeforeSet } : {}),
    },
    workload: { steps: d.steps ?? [], ...(d.until !== undefined ? { until: d.until } : {}) },
  }
}
