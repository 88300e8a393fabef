import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  exportFileName,
  fileStem,
  isSafeFileName,
  withExtension,
} from '../../../src/shared/files/fileNames'
import {
  jsonErrorOffset,
  jsonErrorWhere,
  parseJsonText,
  utf8Length,
} from '../../../src/shared/files/jsonText'
import { checkRequest, exportBytes, MAX_EXPORT_BYTES } from '../../../src/shared/contractSchemas'

describe('file names the page may suggest', () => {
  it('accepts one path component and refuses folders, dots first and reserved characters', () => {
    for (const ok of ['a.json', 'POWER8 doorbells (v2).json', 'Käse – 1.png'])
      expect(isSafeFileName(ok), ok).toBe(true)
    for (const bad of [
      '',
      '../a.json',
      'a/b.json',
      'a\\b.json',
      '.bashrc',
      'c:x.json',
      'a\nb',
      ' a.json',
      'x'.repeat(121),
    ])
      expect(isSafeFileName(bad), JSON.stringify(bad)).toBe(false)
  })

  it('makes every export name safe, from any scenario name', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (name, design) => {
        expect(isSafeFileName(exportFileName(name, design, 'layout', 'png'))).toBe(true)
      }),
    )
    expect(exportFileName('POWER8: doorbells «first-come»', 'first-come', 'layout', 'png')).toBe(
      'power8-doorbells-first-come-layout.png',
    )
    expect(exportFileName('POWER8 doorbells', 'aligned', 'trace', 'json')).toBe(
      'power8-doorbells-aligned-trace.json',
    )
    expect(fileStem('Überraschung!')).toBe('uberraschung')
    expect(fileStem('!!!')).toBe('scenario')
    expect(withExtension('notes', 'json')).toBe('notes.json')
    expect(withExtension('a.JSON', 'json')).toBe('a.JSON')
  })
})

describe('scenario text', () => {
  it('counts UTF-8 bytes as Node does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(utf8Length(s)).toBe(Buffer.byteLength(s, 'utf8'))
      }),
    )
  })

  it('reports bad JSON with its line and column', () => {
    const text = '{\n  "schemaVersion": 1,\n  "name": "x",\n}\n'
    const out = parseJsonText(text, 'a.json')
    expect(out.ok).toBe(false)
    expect(!out.ok && out.message).toMatch(/^a\.json: not valid JSON: .* \(line 4, column 1\)$/)
    let err: unknown
    try {
      JSON.parse('[1, 2')
    } catch (e) {
      err = e
    }
    expect(jsonErrorWhere('[1, 2', err)).toMatch(/line 1, column 6\)$/)
  })

  it('finds the line and column itself when the parser names no position', () => {
    const text = '{\n  "schemaVersion": 1,\n  "name": }'
    let err: unknown
    try {
      JSON.parse(text)
    } catch (e) {
      err = e
    }
    expect(jsonErrorWhere(text, err)).toMatch(/\(line 3, column 11\)$/)
  })

  it('agrees with JSON.parse on what parses, and stops where a cut text does', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(jsonErrorOffset(text)).toBeNull()
        const cut = text.slice(0, -1)
        let parses = true
        try {
          JSON.parse(cut)
        } catch {
          parses = false
        }
        if (!parses) expect(jsonErrorOffset(cut)).not.toBeNull()
      }),
    )
    for (const bad of ['[1,]', '{"a" 1}', '{"a":1,}', 'tru', '01', '"\\x"', '[1] 2', ''])
      expect(jsonErrorOffset(bad), bad).not.toBeNull()
  })
})

describe('the file methods’ request checks', () => {
  it('caps a scenario’s text and an export’s bytes', () => {
    const big = 'x'.repeat(64 * 1024 * 1024 + 1)
    expect(checkRequest('saveScenario', { text: big, suggestedName: 'a.json' })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('text: must be at most 67108864 bytes') },
    })
    // An export's size as the cap counts it (a string past the cap would take 128 MB here).
    expect(MAX_EXPORT_BYTES).toBe(128 * 1024 * 1024)
    expect(exportBytes(Buffer.from('any bytes!').toString('base64'), 'base64')).toBe(10)
    expect(exportBytes('ascii', 'utf8')).toBe(5)
  })

  it('wants base64 for a PNG and text for everything else', () => {
    expect(
      checkRequest('saveExport', {
        format: 'svg',
        suggestedName: 'a.svg',
        data: '<svg/>',
        encoding: 'base64',
      }),
    ).toMatchObject({ ok: false, error: { message: expect.stringContaining('encoding') } })
    expect(
      checkRequest('saveExport', {
        format: 'png',
        suggestedName: 'a.png',
        data: 'not base64!',
        encoding: 'base64',
      }),
    ).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('data: must be base64') },
    })
    expect(
      checkRequest('saveExport', {
        format: 'trace',
        suggestedName: 'a.json',
        data: '{}',
        encoding: 'utf8',
      }),
    ).toMatchObject({ ok: true })
  })
})
