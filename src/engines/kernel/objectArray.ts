/**
 * An empty array V8 already stores as elements of any kind (PACKED_ELEMENTS), as objects need.
 *
 * `[]` starts as an array of small integers and changes kind on its first `push` of an object.
 * When thousands of such arrays are made before any is filled (a track per vCPU or hardware
 * thread), the site that fills them sees both kinds, and TurboFan then calls the generic
 * `Array.prototype.push` builtin instead of inlining it, for every push of the run: about 5% of
 * the large Xen benchmark's run, in profiles.
 */
export function objectArray<T>(): T[] {
  const a: (T | null)[] = [null]
  a.pop()
  return a as T[]
}
