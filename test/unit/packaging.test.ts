/**
 * The packaged app's configuration, read as `npm run package` reads it: electron-builder.yml through
 * electron-builder's own loader and schema (app-builder-lib, the library electron-builder runs).
 * Packaging itself needs the Electron zip from GitHub and does not run here; this checks what it
 * would be given: the app in an asar archive and every Electron fuse set.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Configuration } from 'app-builder-lib'
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config'
import { describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../src/services/paths'

/** The fuses as docs/development.md's security section states them. */
const FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: false,
}

const require = createRequire(import.meta.url)
const scheme = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as {
  properties: Record<string, { anyOf?: { $ref?: string }[] }>
  definitions: Record<
    string,
    { properties: Record<string, unknown>; additionalProperties: boolean }
  >
}
const fuseOptions = scheme.definitions.FuseOptionsV1!
const read = () => getConfig(PROJECT_ROOT, 'electron-builder.yml', null)
const validate = (config: Configuration) =>
  validateConfiguration(config, { isEnabled: false } as Parameters<typeof validateConfiguration>[1])

describe('electron-builder.yml', () => {
  it('packs the app into app.asar and sets every fuse, to these values and no others', async () => {
    const config = await read()
    expect(config.asar).toBe(true)
    expect(config.electronFuses).toEqual(FUSES)
  })

  it('is valid to electron-builder’s schema, which refuses a misspelt fuse', async () => {
    const config = await read()
    await expect(validate(config)).resolves.toBeUndefined()
    const typo = { ...config, electronFuses: { ...FUSES, runAsNod: false } } as Configuration
    await expect(validate(typo)).rejects.toThrow(/electronFuses/)
  })

  it('names only fuses electron-builder’s scheme.json has, and every one it has', () => {
    expect(scheme.properties.electronFuses?.anyOf).toContainEqual({
      $ref: '#/definitions/FuseOptionsV1',
    })
    expect(fuseOptions.additionalProperties).toBe(false)
    const known = Object.keys(fuseOptions.properties)
    for (const name of Object.keys(FUSES))
      expect([name, known.includes(name)]).toEqual([name, true])
    // resetAdHocDarwinSignature is a signing step of @electron/fuses, not a fuse.
    expect(known.filter((k) => k !== 'resetAdHocDarwinSignature').sort()).toEqual(
      Object.keys(FUSES).sort(),
    )
  })

  it('keeps the entry in the archive (onlyLoadAppFromAsar) and the engine worker unpacked', async () => {
    const config = await read()
    const main = (
      JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
        main: string
      }
    ).main
    expect(main).toBe('./out/main/index.js')
    const unpacked = config.asarUnpack as string[]
    expect(unpacked).toContain('out/main/chunks/**')
    expect(
      unpacked.some((glob) => glob.startsWith('out/main/') && !glob.startsWith('out/main/chunks/')),
    ).toBe(false)
  })
})
