/** The renderer's CSP and content types, shared by app:// (Electron) and the preview host. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../src/services/paths'
import { RENDERER_CSP, RENDERER_CSP_HEADER, contentTypeOf } from '../../src/shared/rendererServing'

describe('the renderer’s Content-Security-Policy', () => {
  it('is the policy of the page’s own meta tag, word for word', () => {
    const html = readFileSync(join(PROJECT_ROOT, 'src', 'renderer', 'index.html'), 'utf8')
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)
    expect(meta?.[1]).toBe(RENDERER_CSP)
  })

  it('as a header adds only frame-ancestors, and allows no inline script or other origin', () => {
    expect(RENDERER_CSP_HEADER).toBe(`${RENDERER_CSP}; frame-ancestors 'none'`)
    const directives = new Map(
      RENDERER_CSP_HEADER.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    )
    expect(directives.get('default-src')).toEqual(["'none'"])
    expect(directives.get('script-src')).toEqual(["'self'"])
    expect(RENDERER_CSP_HEADER).not.toMatch(/unsafe-|\*|https?:|app:|file:/)
  })
})

describe('contentTypeOf', () => {
  it('types the renderer’s files by their ending, in any case', () => {
    expect(
      ['index.html', 'a/b/index-1.JS', 'x.mjs', 'style.css', 'f.woff2', 'i.svg', 'p.png'].map(
        contentTypeOf,
      ),
    ).toEqual([
      'text/html; charset=utf-8',
      'text/javascript; charset=utf-8',
      'text/javascript; charset=utf-8',
      'text/css; charset=utf-8',
      'font/woff2',
      'image/svg+xml',
      'image/png',
    ])
  })

  it('calls anything else opaque bytes', () => {
    expect(['README', 'a.tar.gz', 'x.exe', 'noext.', 'html'].map(contentTypeOf)).toEqual(
      Array(5).fill('application/octet-stream'),
    )
  })
})
