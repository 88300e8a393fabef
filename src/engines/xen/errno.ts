/**
 * The errno values Xen hands back to a guest (xen/include/public/errno.h, the same numbers as
 * Linux on x86), as negative return codes, with their names for the result.
 */
export const EPERM = -1
export const ENOENT = -2
export const ENXIO = -6
export const EFAULT = -14
export const EBUSY = -16
export const EEXIST = -17
export const EINVAL = -22
export const ENOSPC = -28
export const ENOSYS = -38
export const ETIME = -62
export const EOPNOTSUPP = -95

const NAMES: ReadonlyMap<number, string> = new Map([
  [EPERM, 'EPERM'],
  [ENOENT, 'ENOENT'],
  [ENXIO, 'ENXIO'],
  [EFAULT, 'EFAULT'],
  [EBUSY, 'EBUSY'],
  [EEXIST, 'EEXIST'],
  [EINVAL, 'EINVAL'],
  [ENOSPC, 'ENOSPC'],
  [ENOSYS, 'ENOSYS'],
  [ETIME, 'ETIME'],
  [EOPNOTSUPP, 'EOPNOTSUPP'],
])

/** The errno name of a negative return code, or null for success (rc >= 0). */
export function errnoName(rc: number): string | null {
  if (rc >= 0) return null
  return NAMES.get(rc) ?? `E${-rc}`
}

/** "-ENOENT" for a failed rc, "0" for success: the way a kernel log writes it. */
export function rcText(rc: number): string {
  return rc >= 0 ? String(rc) : `-${errnoName(rc)}`
}
