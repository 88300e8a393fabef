/**
 * File names the page may suggest to the main process (never a folder: main chooses where, through
 * its own dialog), and the names the lab suggests for a scenario's exports.
 */

/** What a suggested name may be: one path component, printable, no characters Windows refuses. */
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const SAFE_NAME = /^(?!\.)[^\\/:*?"<>|\u0000-\u001f\u007f]{1,120}$/u

export function isSafeFileName(name: string): boolean {
  return SAFE_NAME.test(name) && name.trim() === name
}

/** A file-name stem from a scenario's name: lower case, letters and digits joined by `-`. */
export function fileStem(name: string, fallback = 'scenario'): string {
  const stem = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return stem || fallback
}

/**
 * `power8-doorbells-aligned-layout.png`: the scenario, the design (unless the scenario's name
 * already says it), what it is, the extension.
 */
export function exportFileName(
  scenarioName: string,
  design: string,
  what: string,
  extension: string,
): string {
  const stem = fileStem(scenarioName)
  const d = fileStem(design, 'design')
  const named = `-${stem}-`.includes(`-${d}-`)
  return `${stem}${named ? '' : `-${d}`}-${what}.${extension}`
}

/** A name with `extension` ensured, e.g. a dropped `notes` saved as `notes.json`. */
export function withExtension(name: string, extension: string): string {
  return name.toLowerCase().endsWith(`.${extension}`) ? name : `${name}.${extension}`
}
