/**
 * The Linux releases a Xen guest may run (`linux.era`). A new era is a file beside these and one
 * line here; the schema and the engine read this table.
 */
import type { LinuxEraSpec } from './types'
import { v4_8 } from './v4_8'
import { v4_9 } from './v4_9'

export const LINUX_ERA_TABLE = {
  '4.8': v4_8,
  '4.9': v4_9,
} as const satisfies Record<string, LinuxEraSpec>

export type LinuxEraName = keyof typeof LINUX_ERA_TABLE

/** The names, in table order (a non-empty list, as the schema's enum needs). */
export const LINUX_ERA_NAMES = Object.keys(LINUX_ERA_TABLE) as [LinuxEraName, ...LinuxEraName[]]

export type { LinuxEraSpec } from './types'
