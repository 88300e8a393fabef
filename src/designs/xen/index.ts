/**
 * The Linux-on-Xen designs, by the name a scenario gives in `linux.design`. A new design is a
 * file beside these and one line here; the schema, the lab's screens and the engine read this
 * table.
 */
import { armSmpFix } from './armSmpFix'
import { firmwareIds } from './firmwareIds'
import { rawCpu } from './rawCpu'
import { startingCpuHypercalls } from './startingCpuHypercalls'
import type { XenDesignSpec } from './types'
import { vcpuIdMapping } from './vcpuIdMapping'

export const XEN_DESIGN_TABLE = {
  'raw-cpu': rawCpu,
  'vcpu-id-mapping': vcpuIdMapping,
  'arm-smp-fix': armSmpFix,
  'starting-cpu-hypercalls': startingCpuHypercalls,
  'firmware-ids': firmwareIds,
} as const satisfies Record<string, XenDesignSpec>

export type XenDesignName = keyof typeof XEN_DESIGN_TABLE

/** The names, in table order (a non-empty list, as the schema's enum needs). */
export const XEN_DESIGN_NAMES = Object.keys(XEN_DESIGN_TABLE) as [XenDesignName, ...XenDesignName[]]

export type { XenDesignSpec } from './types'
