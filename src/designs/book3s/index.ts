/**
 * The Book3S HV designs, by the name a scenario gives in `kvm.design`. A new design is a file
 * beside these and one line here; the schema, the lab's screens and the engine read this table.
 */
import { aligned } from './aligned'
import { dynamicMicroThreading } from './dynamicMicroThreading'
import { firstCome } from './firstCome'
import { piggyback } from './piggyback'
import type { Book3sDesignSpec } from './types'

export const BOOK3S_DESIGN_TABLE = {
  'first-come': firstCome,
  aligned,
  piggyback,
  'dynamic-micro-threading': dynamicMicroThreading,
} as const satisfies Record<string, Book3sDesignSpec>

export type Book3sDesignName = keyof typeof BOOK3S_DESIGN_TABLE

/** The names, in table order (a non-empty list, as the schema's enum needs). */
export const BOOK3S_DESIGN_NAMES = Object.keys(BOOK3S_DESIGN_TABLE) as [
  Book3sDesignName,
  ...Book3sDesignName[],
]

export type { Book3sDesignSpec } from './types'
