/**
 * Writes a file so that a reader (or a crash) sees either the old content or the new, never half:
 * write a temporary file beside the target, flush it to disk, rename it over the target, then flush
 * the folder so the rename itself survives a crash.
 *
 * - A symbolic link is followed: its target is replaced and the link stays a link.
 * - The target keeps its permission bits (a new file gets 0644).
 * - Device and process files (/dev, /proc, /sys) and folders are refused.
 * - Temporary files an earlier, crashed write left beside the target are removed.
 * - Every failure is a `WriteError` naming the path the user gave and the reason.
 */
import { randomBytes } from 'node:crypto'
import { promises as fs, type Stats } from 'node:fs'
import { basename, dirname, isAbsolute, join, resolve } from 'node:path'

/** A write the file system refused, said in the user's terms: their path and why. */
export class WriteError extends Error {
  constructor(
    readonly path: string,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** Folders of special files no scenario or export belongs in. */
const SPECIAL = ['/dev/', '/proc/', '/sys/']

/**
 * `data` may be chunks (a large run's JSON, src/shared/jsonChunks.ts; a trace, its bytes),
 * written as they come.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array | Iterable<string | Uint8Array>,
): Promise<void> {
  const target = await followLinks(path)
  if (SPECIAL.some((d) => target.startsWith(d) || `${target}/` === d)) {
    throw new WriteError(path, 'EINVAL', `${path}: refusing to write to a device or system file`)
  }
  const existing = await statOrNull(target)
  if (existing?.isDirectory()) {
    throw new WriteError(path, 'EISDIR', `${path} is a folder: give a file name`)
  }
  if (existing && !existing.isFile()) {
    throw new WriteError(path, 'EINVAL', `${path} is not a regular file: refusing to replace it`)
  }
  const dir = dirname(target)
  await removeStaleTemps(dir, basename(target))
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const handle = await fs.open(tmp, 'wx', existing ? existing.mode & 0o7777 : 0o644)
    try {
      try {
        await writeAll(handle, data)
        // One flush, at the end: the chunks themselves go to the page cache.
        await handle.sync()
      } finally {
        await handle.close()
      }
      if (existing) await fs.chmod(tmp, existing.mode & 0o7777)
      await fs.rename(tmp, target)
    } catch (err) {
      await fs.rm(tmp, { force: true })
      throw err
    }
    await syncFolder(dir)
  } catch (err) {
    throw writeError(path, err)
  }
}

/**
 * Writes `data` at the file's start. Chunks are written one at a time while the next is made: the
 * write runs on libuv's thread, the chunk's text on this one, and at most two chunks are held.
 */
async function writeAll(
  handle: fs.FileHandle,
  data: string | Uint8Array | Iterable<string | Uint8Array>,
): Promise<void> {
  if (typeof data === 'string' || data instanceof Uint8Array) return handle.writeFile(data)
  let writing: Promise<void> = Promise.resolve()
  try {
    for (const chunk of data) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
      await writing
      writing = writeFully(handle, bytes)
    }
  } catch (err) {
    // The chunks failed (or a write did): let the write under way end before the file is removed.
    await writing.catch(() => undefined)
    throw err
  }
  await writing
}

/** All of `bytes`, however many writes the file system takes. */
async function writeFully(handle: fs.FileHandle, bytes: Uint8Array): Promise<void> {
  let done = 0
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done)
    done += bytesWritten
  }
}

/** `path`, with every symbolic link on the way resolved, even one whose target does not exist yet. */
async function followLinks(path: string): Promise<string> {
  let p = resolve(path)
  for (let hops = 0; hops < 40; hops++) {
    let link: string
    try {
      link = await fs.readlink(p)
    } catch {
      // Not a link (or not there): resolve the folder's own links and stop.
      try {
        return join(await fs.realpath(dirname(p)), basename(p))
      } catch {
        return p
      }
    }
    p = isAbsolute(link) ? link : resolve(dirname(p), link)
  }
  throw new WriteError(path, 'ELOOP', `${path}: too many symbolic links`)
}

async function statOrNull(p: string): Promise<Stats | null> {
  try {
    return await fs.stat(p)
  } catch {
    return null
  }
}

/**
 * Temporary files of this target left by a write whose process is gone (a crash, a kill): the
 * name carries the writer's pid, so a write under way in another process is left alone.
 */
async function removeStaleTemps(dir: string, base: string): Promise<void> {
  let names: string[]
  try {
    names = await fs.readdir(dir)
  } catch {
    return
  }
  const prefix = `.${base}.`
  for (const n of names) {
    if (!n.startsWith(prefix) || !n.endsWith('.tmp')) continue
    const pid = Number(n.slice(prefix.length).split('.')[0])
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue
    await fs.rm(join(dir, n), { force: true })
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** fsync on the folder, so the new directory entry is on disk too (where the platform allows it). */
async function syncFolder(dir: string): Promise<void> {
  let handle: fs.FileHandle | null = null
  try {
    handle = await fs.open(dir, 'r')
    await handle.sync()
  } catch {
    // Some platforms cannot open or fsync a folder; the file itself is already flushed.
  } finally {
    await handle?.close()
  }
}

/** The file system's error in the user's terms. */
function writeError(path: string, err: unknown): WriteError {
  if (err instanceof WriteError) return err
  const e = err as NodeJS.ErrnoException
  const code = e.code ?? 'EIO'
  const why: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'not permitted',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'over the disk quota',
    ENOENT: 'its folder does not exist',
    ENOTDIR: 'a part of the path is not a folder',
    EISDIR: 'it is a folder',
  }
  return new WriteError(path, code, `${path}: cannot write (${why[code] ?? e.message})`)
}
