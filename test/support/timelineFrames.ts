/**
 * The timeline driven as a person drives it, for the frame-time figures (the end-to-end test and
 * `npm run bench`): the whole run panned with D and A, zoomed in step by step with W, panned at
 * that depth, zoomed out with F, then zoomed with Ctrl+wheel at the pointer. A frame is what the
 * timeline pane records for each draw (`data-frame-times`: the option built, set and painted, on
 * the page's main thread; `data-frame-count` counts them); the run's first draw is not among them.
 */
import type { Page } from 'playwright-core'

export interface FrameStats {
  n: number
  median: number
  p90: number
  max: number
}

export function frameStats(xs: readonly number[]): FrameStats {
  const s = [...xs].sort((a, b) => a - b)
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0
  return { n: s.length, median: q(0.5), p90: q(0.9), max: s[s.length - 1] ?? 0 }
}

export interface DrivenFrames {
  full: number[]
  zoomingIn: number[]
  deep: number[]
  wheel: number[]
}

const count = async (page: Page) =>
  Number(await page.getByTestId('timeline').getAttribute('data-frame-count'))

/** Waits until the pane has drawn more than `n` frames (10 s at most). */
async function drawnMoreThan(page: Page, n: number): Promise<void> {
  const deadline = Date.now() + 10_000
  while ((await count(page)) <= n) {
    if (Date.now() > deadline) throw new Error('the timeline drew no frame within 10 s')
    await page.waitForTimeout(5)
  }
}

/** The times of the frames drawn since the pane had drawn `since` (50 at most). */
async function timesSince(page: Page, since: number): Promise<number[]> {
  const raw = await page.getByTestId('timeline').getAttribute('data-frame-times')
  const times = (raw ?? '').split(',').filter(Boolean).map(Number)
  return times.slice(times.length - Math.min((await count(page)) - since, times.length))
}

/** Presses each key, waiting for the frame it draws; the frames' times. */
async function press(page: Page, keys: readonly string[]): Promise<number[]> {
  const since = await count(page)
  for (const k of keys) {
    const n = await count(page)
    await page.keyboard.press(k)
    await drawnMoreThan(page, n)
  }
  return timesSince(page, since)
}

export async function driveTimeline(page: Page): Promise<DrivenFrames> {
  // Zoomed out: the whole run in one window (every span folded to its bin).
  const full = await press(page, 'dadadadadada'.split(''))
  // Zooming in step by step, then panning at a deep zoom, then out again.
  const zoomingIn = await press(page, 'wwwwwwwwww'.split(''))
  const deep = await press(page, 'ddaddaadadaa'.split(''))
  await press(page, ['f'])
  // The wheel at the pointer, as with a trackpad pinch.
  const plot = page.getByTestId('timeline').locator('.timeline-plot')
  await plot.scrollIntoViewIfNeeded()
  const box = (await plot.boundingBox())!
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6)
  const since = await count(page)
  for (let i = 0; i < 10; i++) {
    await page.keyboard.down('Control')
    await page.mouse.wheel(0, -240)
    await page.keyboard.up('Control')
    await page.waitForTimeout(40)
  }
  await drawnMoreThan(page, since)
  return { full, zoomingIn, deep, wheel: await timesSince(page, since) }
}

/** Every frame driven, for the worst. */
export const allFrames = (d: DrivenFrames): number[] => [
  ...d.full,
  ...d.zoomingIn,
  ...d.deep,
  ...d.wheel,
]
