/**
 * The docs stand alone: every relative link in README.md and docs/*.md reaches a file of this
 * repository, and neither the docs nor the code cite notes that live outside it (a reader of the
 * code can follow a kernel file:function@commit, not a workbench path).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../src/services/paths'

const DOCS = [
  join(PROJECT_ROOT, 'README.md'),
  ...readdirSync(join(PROJECT_ROOT, 'docs'))
    .filter((n) => n.endsWith('.md'))
    .map((n) => join(PROJECT_ROOT, 'docs', n)),
]

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|vue|mjs)$/.test(n) ? [p] : []
  })
}

/** Citations of the workbench beside the project, which a clone does not have. */
const OUTSIDE =
  /\.\.\/shared\/(docs|seeds)|\bresearch\/[\w-]+\.md|\b(FORMATS|MODEL|ARCHITECTURE|STYLE|TOOLCHAIN)\.md|§\s?\d/

describe('docs', () => {
  it('the README is a front door of at most about 150 lines that links every doc', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8')
    expect(readme.split('\n').length).toBeLessThanOrEqual(160)
    for (const doc of DOCS.slice(1)) expect(readme).toContain(relative(PROJECT_ROOT, doc))
    expect(readme).toMatch(/npm install/)
    expect(readme).toMatch(/npm start/)
    expect(readme).toMatch(/npm test/)
  })

  it('every relative link and image in the docs reaches a file of the repository', () => {
    const broken: string[] = []
    for (const doc of DOCS) {
      const text = readFileSync(doc, 'utf8')
      for (const m of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        const target = m[1] as string
        if (/^[a-z]+:/.test(target)) continue
        const abs = resolve(dirname(doc), target)
        if (!abs.startsWith(PROJECT_ROOT) || !existsSync(abs))
          broken.push(`${relative(PROJECT_ROOT, doc)}: ${target}`)
      }
    }
    expect(broken).toEqual([])
  })

  it('neither the docs nor the code cite notes outside the repository', () => {
    const files = [
      ...DOCS,
      ...['src', 'scripts', 'test/unit', 'test/dom', 'test/e2e', 'test/support'].flatMap((d) =>
        sources(join(PROJECT_ROOT, d)),
      ),
    ].filter((f) => !f.endsWith('docs.test.ts'))
    const hits = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          OUTSIDE.test(line) ? [`${relative(PROJECT_ROOT, f)}:${i + 1}`] : [],
        ),
    )
    expect(hits).toEqual([])
  })
})
