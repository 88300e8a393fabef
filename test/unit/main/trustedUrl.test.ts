import { describe, expect, it } from 'vitest'
import { makeUrlPolicy } from '../../../src/main/trustedUrl'

describe('makeUrlPolicy', () => {
  const built = makeUrlPolicy()
  it('trusts only the app:// origin, and file:// nowhere', () => {
    expect(built.isTrustedUrl('app://lab/index.html')).toBe(true)
    expect(built.isTrustedUrl('app://lab/assets/x.js')).toBe(true)
    expect(built.isTrustedUrl('app://lab.evil/index.html')).toBe(false)
    expect(built.isTrustedUrl('app://evil/index.html')).toBe(false)
    expect(built.isTrustedUrl('app://lab:1/index.html')).toBe(false)
    expect(built.isTrustedUrl('file:///app/out/renderer/index.html')).toBe(false)
    expect(built.isTrustedUrl('file:///etc/passwd')).toBe(false)
    expect(built.isTrustedUrl('https://example.com/')).toBe(false)
    expect(built.isTrustedUrl('')).toBe(false)
  })

  it('loads its own app:// files and inline data, nothing from file:// and nothing remote', () => {
    expect(built.mayLoad('app://lab/assets/index.js')).toBe(true)
    expect(built.mayLoad('data:image/png;base64,AAAA')).toBe(true)
    expect(built.mayLoad('file:///app/out/renderer/assets/index.js')).toBe(false)
    expect(built.mayLoad('app://other/assets/index.js')).toBe(false)
    expect(built.mayLoad('https://cdn.example.com/x.js')).toBe(false)
    expect(built.mayLoad('http://127.0.0.1:5173/')).toBe(false)
  })

  it('trusts the dev server origin only when one is given, and app:// as well', () => {
    const dev = makeUrlPolicy('http://localhost:5173/')
    expect(dev.isTrustedUrl('http://localhost:5173/index.html')).toBe(true)
    expect(dev.isTrustedUrl('http://localhost:5174/')).toBe(false)
    expect(dev.mayLoad('ws://localhost:5173/')).toBe(true)
    expect(dev.isTrustedUrl('app://lab/index.html')).toBe(true)
    expect(built.mayLoad('ws://localhost:5173/')).toBe(false)
  })
})
