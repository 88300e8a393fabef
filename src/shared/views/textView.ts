/**
 * A run shown in the format a person's own tool prints (xl vcpu-list, ppc64_cpu --info, QEMU's
 * info cpus): the tool's lines, then notes that say which columns the model has no value for and
 * what the lab adds beside them. The CLI prints it; the app shows it in a panel.
 */
export interface TextView {
  /** The command whose output it imitates, as a person would type it. */
  command: string
  /** The lines, column for column as the tool prints them. */
  lines: string[]
  /** Footnotes: the columns the model has no value for, and the lab's own facts beside them. */
  notes: string[]
}

/** The view as text: the tool's lines, a blank line, the notes. */
export function viewText(v: TextView): string {
  return [...v.lines, ...(v.notes.length > 0 ? ['', ...v.notes] : [])].join('\n') + '\n'
}

export const padStart = (s: string | number, n: number) => String(s).padStart(n)
export const padEnd = (s: string | number, n: number) => String(s).padEnd(n)
