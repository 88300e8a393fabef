/**
 * The recently opened or saved scenario files, newest first, kept in userData as JSON and written
 * atomically. Each entry is a path; the page sees it only as an id (a hash of the path) with its
 * name and folder for display, so it can ask for "that one again" without naming a path.
 */
import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { RecentFile } from '../shared/contract'
import { writeFileAtomic } from './atomicWrite'

export const MAX_RECENT = 10

interface Stored {
  version: 1
  paths: string[]
}

export function recentFilesPath(userData: string): string {
  return join(userData, 'recent-files.json')
}

export function recentId(path: string): string {
  return createHash('sha256').update(path).digest('hex').slice(0, 32)
}

export function describeRecent(path: string): RecentFile {
  return { id: recentId(path), name: basename(path), location: dirname(path) }
}

export class RecentFiles {
  private paths: string[] | null = null

  constructor(private readonly file: string) {}

  /** The paths, newest first (read once from disk; a missing or damaged list is empty). */
  async list(): Promise<string[]> {
    if (this.paths) return this.paths
    try {
      const stored = JSON.parse(await fs.readFile(this.file, 'utf8')) as Partial<Stored>
      this.paths = Array.isArray(stored.paths)
        ? stored.paths.filter((p): p is string => typeof p === 'string').slice(0, MAX_RECENT)
        : []
    } catch {
      this.paths = []
    }
    return this.paths
  }

  async pathOf(id: string): Promise<string | null> {
    return (await this.list()).find((p) => recentId(p) === id) ?? null
  }

  /** Puts `path` first. */
  async add(path: string): Promise<void> {
    const next = [path, ...(await this.list()).filter((p) => p !== path)].slice(0, MAX_RECENT)
    await this.store(next)
  }

  async remove(path: string): Promise<void> {
    await this.store((await this.list()).filter((p) => p !== path))
  }

  async clear(): Promise<void> {
    await this.store([])
  }

  private async store(paths: string[]): Promise<void> {
    this.paths = paths
    const stored: Stored = { version: 1, paths }
    await fs.mkdir(dirname(this.file), { recursive: true })
    await writeFileAtomic(this.file, JSON.stringify(stored, null, 2))
  }
}
