/**
 * Each design in two sentences with its commit, for the lab's screens and reports: read from the
 * design files (src/designs/book3s, src/designs/xen), which write them from the
 * commits they follow; a statement that is a reading of the code, never observed running, says so.
 */
import { BOOK3S_DESIGN_TABLE } from '../../designs/book3s'
import { BOOK3S_KERNEL_TABLE } from '../../designs/book3sKernels'
import { LINUX_ERA_TABLE } from '../../designs/xenEras'
import { XEN_DESIGN_TABLE } from '../../designs/xen'
import type { Engine } from '../scenario/scenario'

export interface DesignNote {
  engine: Engine
  design: string
  title: string
  /** The commit (or proposal) the design follows. */
  commit: string
  text: string
}

/** Every design of both engines, in table order, from the design files. */
export const DESIGN_NOTES: readonly DesignNote[] = [
  ...Object.values(BOOK3S_DESIGN_TABLE).map((d) => noteOf('book3s', d)),
  ...Object.values(XEN_DESIGN_TABLE).map((d) => noteOf('xen', d)),
]

function noteOf(
  engine: Engine,
  d: { name: string; title: string; commit: string; note: string },
): DesignNote {
  return { engine, design: d.name, title: d.title, commit: d.commit, text: d.note }
}

export function designNote(engine: Engine, design: string): DesignNote | null {
  return DESIGN_NOTES.find((d) => d.engine === engine && d.design === design) ?? null
}

export const ENGINE_TITLES: Readonly<Record<Engine, string>> = {
  book3s: 'KVM on POWER (Book3S HV)',
  xen: 'Xen: Linux CPUs and vCPU ids',
}

/** What the lab says of a Book3S HV kernel (`kvm.kernel`) beside the design it runs. */
export interface KernelNote {
  kernel: string
  title: string
  commits: string
  /** Whether the release boundary was read from a tag or pull request, or what is believed. */
  boundary: string
}

export function kernelNote(kernel: string): KernelNote | null {
  const k = (
    BOOK3S_KERNEL_TABLE as Record<
      string,
      (typeof BOOK3S_KERNEL_TABLE)[keyof typeof BOOK3S_KERNEL_TABLE]
    >
  )[kernel]
  return k ? { kernel: k.name, title: k.title, commits: k.commits, boundary: k.boundary } : null
}

/** What the lab says of a Xen guest's Linux release (`linux.era`) beside the design it runs. */
export function eraNote(era: string): KernelNote | null {
  const e = (
    LINUX_ERA_TABLE as Record<string, (typeof LINUX_ERA_TABLE)[keyof typeof LINUX_ERA_TABLE]>
  )[era]
  return e ? { kernel: e.name, title: e.note, commits: e.code, boundary: 'verified' } : null
}
