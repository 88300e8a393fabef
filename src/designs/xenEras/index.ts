/**
 * The Linux releases a Xen guest may run (`linux.era`). A new era is a file beside these and one
 * line here; the schema and the engine read this table.
 */
import type { LinuxEraSpec } from './types'
import { v4_11 } from './v4_11'
import { v4_8 } from './v4_8'
import { v4_9 } from './v4_9'
import { v5_10 } from './v5_10'
import { v5_18 } from './v5_18'
import { v5_4 } from './v5_4'

export const LINUX_ERA_TABLE = {
  '4.8': v4_8,
  '4.9': v4_9,
  '4.11': v4_11,
  '5.4': v5_4,
  '5.10': v5_10,
  '5.18': v5_18,
} as const satisfies Record<string, LinuxEraSpec>

export type LinuxEraName = keyof typeof LINUX_ERA_TABLE

/** The names, in table order (a non-empty list, as the schema's enum needs). */
export const LINUX_ERA_NAMES = Object.keys(LINUX_ERA_TABLE) as [LinuxEraName, ...LinuxEraName[]]

export type { LinuxEraSpec } from './types'
