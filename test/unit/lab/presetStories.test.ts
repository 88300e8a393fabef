/** The preset list's stories and design notes. */
import { describe, expect, it } from 'vitest'
import { DESIGNS } from '../../../src/shared/scenario'
import { DESIGN_NOTES, designNote } from '../../../src/shared/lab/designNotes'
import { firstSentence, groupByStory } from '../../../src/shared/lab/presetStories'
import type { PresetSummary } from '../../../src/shared/contract'

const p = (id: string, engine: 'book3s' | 'xen', design: string): PresetSummary => ({
  id,
  engine,
  design,
  name: id,
  description: '',
})

describe('groupByStory', () => {
  it('puts co-scheduling designs and the host-sharing presets under their own story', () => {
    const groups = groupByStory(
      [
        p('book3s-power8-piggyback', 'book3s', 'piggyback'),
        p('book3s-power8-overcommit', 'book3s', 'aligned'),
        p('book3s-power8-split-core', 'book3s', 'aligned'),
      ],
      'book3s',
    )
    expect(groups.map((g) => [g.story.id, g.presets.map((x) => x.id)])).toEqual([
      ['sharing', ['book3s-power8-piggyback', 'book3s-power8-overcommit']],
      ['vcores', ['book3s-power8-split-core']],
    ])
  })

  it('puts first-come presets under the doorbell story, the rest under vcores', () => {
    const groups = groupByStory(
      [
        p('book3s-power7-first-come-misaligned', 'book3s', 'first-come'),
        p('book3s-power8-aligned-vcores', 'book3s', 'aligned'),
        p('xen-arm-smp-88e957d6', 'xen', 'vcpu-id-mapping'),
      ],
      'book3s',
    )
    expect(groups.map((g) => [g.story.id, g.presets.map((x) => x.id)])).toEqual([
      ['doorbells', ['book3s-power7-first-come-misaligned']],
      ['vcores', ['book3s-power8-aligned-vcores']],
    ])
  })

  it('groups Xen presets by story, unknown ones last', () => {
    const groups = groupByStory(
      [
        p('xen-kdump-vcpu2', 'xen', 'raw-cpu'),
        p('xen-arm-two', 'xen', 'arm-smp-fix'),
        p('xen-zzz', 'xen', 'raw-cpu'),
      ],
      'xen',
    )
    expect(groups.map((g) => g.story.id)).toEqual(['arm-smp', 'kdump', 'xen-other'])
  })
})

describe('firstSentence', () => {
  it('keeps one sentence, at most a line', () => {
    expect(firstSentence('One thing. Then another.')).toBe('One thing.')
    expect(firstSentence('x'.repeat(200), 20)).toHaveLength(20)
  })
})

describe('design notes', () => {
  it('explain every design of both engines in two sentences with a commit', () => {
    for (const [engine, designs] of Object.entries(DESIGNS)) {
      for (const d of designs) {
        const note = designNote(engine as 'book3s' | 'xen', d)
        expect(note, `${engine} ${d}`).not.toBeNull()
        expect(note!.text.split(/(?<=\.) /)).toHaveLength(2)
        expect(note!.commit.length).toBeGreaterThan(5)
      }
    }
    expect(DESIGN_NOTES).toHaveLength(9)
  })
})
