/**
 * The stories the presets tell, for grouping the preset list: each preset belongs to the first
 * story of its engine whose rule matches its id or design, else to its engine's last story.
 */
import type { PresetSummary } from '../contract'
import type { Engine } from '../scenario/scenario'

export interface Story {
  id: string
  engine: Engine
  title: string
  matches(p: PresetSummary): boolean
}

const idHas =
  (...words: string[]) =>
  (p: PresetSummary) =>
    words.some((w) => p.id.includes(w))

export const STORIES: readonly Story[] = [
  {
    id: 'doorbells',
    engine: 'book3s',
    title: 'Why a POWER doorbell goes astray',
    matches: (p) =>
      p.design === 'first-come' || idHas('misalign', 'doorbell', 'msgsndp', 'first-come')(p),
  },
  {
    id: 'sharing',
    engine: 'book3s',
    title: 'Sharing a core: the host scheduler, 2015 co-scheduling, POWER9 threads',
    matches: (p) =>
      p.design === 'piggyback' ||
      p.design === 'dynamic-micro-threading' ||
      idHas('overcommit', 'smt1', 'threads', 'off-thread0')(p),
  },
  {
    id: 'vcores',
    engine: 'book3s',
    title: 'vcpus into virtual cores',
    matches: () => true,
  },
  {
    id: 'arm-smp',
    engine: 'xen',
    title: 'Why the ARM guest lost its CPUs',
    matches: idHas('arm'),
  },
  { id: 'kdump', engine: 'xen', title: 'kdump on a secondary vCPU', matches: idHas('kdump') },
  {
    id: 'smp',
    engine: 'xen',
    title: 'SMP guest operations (2007)',
    matches: idHas('smp', 'ipi', 'call-function', 'tlb', 'unpin', 'stop'),
  },
  {
    id: 'later',
    engine: 'xen',
    title: 'Linux after 4.9: PVH, hot-add, vCPUs beyond 32',
    matches: idHas('pvh', 'hot-add', 'vcpu40'),
  },
  { id: 'xen-other', engine: 'xen', title: 'More Xen scenarios', matches: () => true },
]

export interface StoryGroup {
  story: Story
  presets: PresetSummary[]
}

/** Presets grouped by story, stories in the order above, empty stories left out. */
export function groupByStory(presets: readonly PresetSummary[], engine: Engine): StoryGroup[] {
  const stories = STORIES.filter((s) => s.engine === engine)
  const groups = stories.map((story) => ({ story, presets: [] as PresetSummary[] }))
  for (const p of presets) {
    if (p.engine !== engine) continue
    const g = groups.find((x) => x.story.matches(p))
    g?.presets.push(p)
  }
  return groups.filter((g) => g.presets.length > 0)
}

/** The first sentence of a description, for a one-line summary. */
export function firstSentence(text: string, max = 140): string {
  const m = /^(.+?[.!?])(\s|$)/.exec(text.trim())
  const s = m ? (m[1] as string) : text.trim()
  return s.length > max ? `${s.slice(0, max - 1)}…` : s
}
