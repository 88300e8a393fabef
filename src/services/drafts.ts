/**
 * The unsaved scenario, kept in userData so a crash or a quit loses nothing: written atomically
 * (the previous draft stays whole if writing the next one fails), read back on the next start,
 * removed when the scenario is saved or the draft discarded. The file it came from is kept as a
 * path here and handed to the page only as a fresh handle.
 */
import { promises as fs } from 'node:fs'
import { dirname, join } from 'node:path'
import { writeFileAtomic } from './atomicWrite'

export interface StoredDraft {
  version: 1
  savedAt: string
  text: string
  name: string | null
  /** The scenario file it was opened from or saved to, if any. */
  path: string | null
}

export function draftPath(userData: string): string {
  return join(userData, 'draft.json')
}

export async function writeDraft(file: string, draft: Omit<StoredDraft, 'version'>): Promise<void> {
  await fs.mkdir(dirname(file), { recursive: true })
  const stored: StoredDraft = { version: 1, ...draft }
  await writeFileAtomic(file, JSON.stringify(stored))
}

/** The draft, or null when there is none (or it is damaged: a half draft is never offered). */
export async function readDraft(file: string): Promise<StoredDraft | null> {
  let raw: unknown
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'))
  } catch {
    return null
  }
  const d = raw as Partial<StoredDraft>
  if (
    d?.version !== 1 ||
    typeof d.text !== 'string' ||
    typeof d.savedAt !== 'string' ||
    !(d.name === null || typeof d.name === 'string') ||
    !(d.path === null || typeof d.path === 'string')
  ) {
    return null
  }
  return { version: 1, savedAt: d.savedAt, text: d.text, name: d.name, path: d.path }
}

export async function removeDraft(file: string): Promise<boolean> {
  try {
    await fs.rm(file)
    return true
  } catch {
    return false
  }
}
