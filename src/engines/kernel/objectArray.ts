/**
 * An empty array V8 already stores as an array of objects (elements kind PACKED_ELEMENTS).
 *
 * `[]` starts as an array of small integers and changes kind on its first `push` of an object.
 * When thousands of such arrays are made before any is filled (a track per vCPU or hardware
 * thread), the site that fills them sees both kinds, and TurboFan then calls the generic
 * `Array.prototype.push` builtin instead of inlining it, for every push of the run: on the
 * large benchmarks that was about a tenth of the time spent recording spans.
 */
export function objectArray<T>(): T[] {
  const a: (T | null)[] = [null]
  a.pop()
  return a as T[]
}
