/**
 * The Linux releases whose Book3S HV code the engine runs, by the name a scenario gives in
 * `kvm.kernel`, oldest first. A new release is a file beside these and one line here.
 */
import type { Book3sKernelSpec } from './types'
import { v3_13 } from './v3_13'
import { v3_14 } from './v3_14'
import { v3_16 } from './v3_16'
import { v4_1 } from './v4_1'
import { v4_13 } from './v4_13'
import { v4_19 } from './v4_19'
import { v4_3 } from './v4_3'
import { v4_8 } from './v4_8'
import { v4_9 } from './v4_9'
import { v5_14 } from './v5_14'

export const BOOK3S_KERNEL_TABLE = {
  '3.13': v3_13,
  '3.14': v3_14,
  '3.16': v3_16,
  '4.1': v4_1,
  '4.3': v4_3,
  '4.8': v4_8,
  '4.9': v4_9,
  '4.13': v4_13,
  '4.19': v4_19,
  '5.14': v5_14,
} as const satisfies Record<string, Book3sKernelSpec>

export type Book3sKernelName = keyof typeof BOOK3S_KERNEL_TABLE

/** The names, oldest first (a non-empty list, as the schema's enum needs). */
export const BOOK3S_KERNEL_NAMES = Object.keys(BOOK3S_KERNEL_TABLE) as [
  Book3sKernelName,
  ...Book3sKernelName[],
]

export type { Book3sKernelSpec, VcpuIdLimit } from './types'
