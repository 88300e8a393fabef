/**
 * What an import of a guest configuration (a QEMU command line, a libvirt domain XML, an xl.cfg)
 * gives back: the scenario document it built and a report that says, option by option, what was
 * used, what the import had to choose because the configuration does not say it, and what the
 * model does not use. Nothing is guessed silently: an option is either used (with the field it
 * became), listed as ignored (with why), or refused (a problem naming it and what is allowed).
 */
import type { Engine } from '../scenario/scenario'

export const IMPORT_FORMATS = ['qemu', 'libvirt', 'xl'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

export const IMPORT_FORMAT_TITLES: Readonly<Record<ImportFormat, string>> = {
  qemu: 'QEMU command line',
  libvirt: 'libvirt domain XML',
  xl: 'xl.cfg',
}

/** What the configuration does not say and a person may choose (the CLI's flags, the dialog's fields). */
export interface ImportOptions {
  /** Force a format instead of recognising it from the text. */
  format?: ImportFormat
  /** book3s: the host processor, when the configuration leaves it to the host (`-cpu host`). */
  processor?: string
  /** book3s: physical cores of the host. */
  hostCores?: number
  /** `kvm.design` (book3s) or `linux.design` (xen), optionally `NAME@RELEASE` as `--design` takes it. */
  design?: string
  /** xen: `xen.version`. */
  xenVersion?: string
  /** The scenario's name, instead of the one the configuration gives. */
  name?: string
}

/** One line of the report: an option of the configuration, and what became of it. */
export interface ImportNote {
  /** The option as the configuration spells it: `-smp`, `vcpus`, `/domain/vcpu/@current`. */
  option: string
  /** Its value as written, when it has one. */
  value?: string
  /** The scenario field it set, for a used option or an assumption. */
  field?: string
  /** Why: what the option means to the model, or why the model does not use it. */
  why: string
}

export interface ImportReport {
  format: ImportFormat
  engine: Engine
  /** Options that became scenario fields. */
  used: ImportNote[]
  /** Fields the configuration does not say, set by the import (or by an option given to it). */
  assumed: ImportNote[]
  /** Options the model does not use: accepted and listed, not refused. */
  ignored: ImportNote[]
}

/** A refusal: where in the configuration (an option, a line and column, an XML path) and why. */
export interface ImportProblem {
  where: string
  message: string
}

export type ImportOutcome =
  | { ok: true; scenario: Record<string, unknown>; report: ImportReport }
  | {
      ok: false
      problems: ImportProblem[]
      /** The format, when the text was recognised. */
      format?: ImportFormat
      /**
       * The scenario document, when the configuration was read but the lab's own validation
       * refused the result (its problems are then the validation's, path by path).
       */
      scenario?: Record<string, unknown>
      report?: ImportReport
    }

/** `where: message`, the one-line form of a problem (stderr, the dialog). */
export function importProblemLine(p: ImportProblem): string {
  return p.where === '' ? p.message : `${p.where}: ${p.message}`
}

/** Collects problems and notes while a configuration is read. */
export class ImportLog {
  readonly problems: ImportProblem[] = []
  readonly used: ImportNote[] = []
  readonly assumed: ImportNote[] = []
  readonly ignored: ImportNote[] = []

  refuse(where: string, message: string): void {
    this.problems.push({ where, message })
  }
  use(note: ImportNote): void {
    this.used.push(note)
  }
  assume(note: ImportNote): void {
    this.assumed.push(note)
  }
  ignore(note: ImportNote): void {
    this.ignored.push(note)
  }
  report(format: ImportFormat, engine: Engine): ImportReport {
    return { format, engine, used: this.used, assumed: this.assumed, ignored: this.ignored }
  }
}

/** A whole number written in decimal (and nothing else), or null. */
export function wholeNumber(text: string): number | null {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : null
}

/**
 * The closest of `known` to a misspelt `word`, for "did you mean": edit distance at most 2, else
 * a name that is the word with a prefix or suffix (`event_channels`: `max_event_channels`).
 */
export function closest(word: string, known: Iterable<string>): string | null {
  let best: string | null = null
  let bestD = 3
  const all = [...known]
  for (const k of all) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase())
    if (d < bestD) {
      best = k
      bestD = d
    }
  }
  const w = word.toLowerCase()
  return (
    best ?? all.find((k) => w.length >= 4 && (k.endsWith(`_${w}`) || k.startsWith(`${w}_`))) ?? null
  )
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost))
    }
    prev = cur
  }
  return prev[b.length]!
}

/** ` (did you mean "x"?)`, or nothing. */
export function didYouMean(word: string, known: Iterable<string>): string {
  const c = closest(word, known)
  return c && c !== word ? ` (did you mean "${c}"?)` : ''
}
