/** Text the charts wrap themselves, so the app and exported images break lines alike. */
import { describe, expect, it } from 'vitest'
import { LIGHT, chartTitle, wrapText } from '../../../src/shared/charts/palette'

describe('wrapText', () => {
  it('breaks at spaces, never past the width, and cuts only a word longer than a line', () => {
    expect(wrapText('init_control -ENOENT at CPU_UP_PREPARE', 30)).toEqual([
      'init_control -ENOENT at',
      'CPU_UP_PREPARE',
    ])
    expect(wrapText('a  b   c', 3)).toEqual(['a b', 'c'])
    expect(wrapText('abcdefgh ij', 3)).toEqual(['abc', 'def', 'gh', 'ij'])
    expect(wrapText('', 10)).toEqual([])
    for (const line of wrapText(
      'BUG_ON in xen_vcpuop_set_next_event (VCPUOP_set_singleshot_timer -EINVAL)',
      12,
    ))
      expect(line.length).toBeLessThanOrEqual(12)
  })

  it('keeps at most maxLines and ends the last with an ellipsis when text was left out', () => {
    expect(wrapText('one two three four', 9, 2)).toEqual(['one two', 'three…'])
    expect(wrapText('one two three four', 9, 3)).toEqual(['one two', 'three', 'four'])
    // a full last line gives up its last word for the ellipsis, or a character if it is one word
    expect(wrapText('one twoo three', 8, 1)).toEqual(['one…'])
    expect(wrapText('abcdefghi jk', 9, 1)).toEqual(['abcdefgh…'])
  })
})

describe('chartTitle', () => {
  it('ends a subtitle too long for one line at a word, with an ellipsis', () => {
    const t = chartTitle(
      'T',
      '88e957d6 "xen: introduce xen_vcpu_id mapping" as first merged',
      200,
      16,
      LIGHT,
    ) as {
      subtext: string
    }
    expect(t.subtext).toBe('88e957d6 "xen:…')
    expect((chartTitle('T', 'short', 200, 16, LIGHT) as { subtext: string }).subtext).toBe('short')
  })
})
