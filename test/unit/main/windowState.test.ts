import { describe, expect, it } from 'vitest'
import { DEFAULT_STATE, MIN_SIZE, restoreState } from '../../../src/main/windowState'

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }]

describe('restoreState', () => {
  it('uses the defaults when nothing (or junk) was saved', () => {
    expect(restoreState(null, screen)).toEqual(DEFAULT_STATE)
    expect(restoreState('junk', screen)).toEqual(DEFAULT_STATE)
  })

  it('restores a saved position and size that are on a display', () => {
    expect(
      restoreState({ x: 100, y: 50, width: 1200, height: 800, maximized: true }, screen),
    ).toEqual({
      x: 100,
      y: 50,
      width: 1200,
      height: 800,
      maximized: true,
    })
  })

  it('drops a position that is on no display now (an unplugged monitor), keeping the size', () => {
    expect(
      restoreState({ x: 3000, y: 100, width: 1000, height: 700, maximized: false }, screen),
    ).toEqual({
      width: 1000,
      height: 700,
      maximized: false,
    })
  })

  it('clamps sizes to the minimum and to the largest display', () => {
    const s = restoreState({ width: 100, height: 99999 }, screen)
    expect(s.width).toBe(MIN_SIZE.width)
    expect(s.height).toBe(1080)
  })
})
