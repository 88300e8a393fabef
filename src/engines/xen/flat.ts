/**
 * Per-CPU and per-port facts the event paths read on every IPI live in flat typed arrays (one
 * small array stays in the cache on large runs; an object per CPU is a cache miss each). They grow
 * as CPUs and ports appear.
 */
type Flat = Int32Array | Uint8Array | Float64Array

/** `a` if it has a slot at `index`, else a copy at least twice as long, new slots set to `fill`. */
export function withRoom<A extends Flat>(a: A, index: number, fill = 0): A {
  if (index < a.length) return a
  const grown = new (a.constructor as new (length: number) => A)(Math.max(2 * a.length, index + 1))
  if (fill !== 0) grown.fill(fill)
  grown.set(a)
  return grown
}
