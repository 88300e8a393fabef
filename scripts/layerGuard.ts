/**
 * A Vite plugin that makes the layering a build error: an import that crosses a layer
 * (scripts/layers.ts) stops `electron-vite build` and Vitest with a message naming both files.
 */
import { builtinModules } from 'node:module'
import { relative, resolve, sep } from 'node:path'
import type { Plugin } from 'vite'
import { LAYERS, packageAllowed } from './layers.ts'

const builtins = new Set(builtinModules)

function layerOf(root: string, file: string) {
  const rel = relative(root, file).split(sep).join('/')
  return LAYERS.find((l) => rel === l.folder || rel.startsWith(`${l.folder}/`))
}

export function importProblem(root: string, importer: string, source: string): string | null {
  const layer = layerOf(root, importer)
  if (!layer) return null
  const from = relative(root, importer).split(sep).join('/')
  if (source.startsWith('.') || source.startsWith('/')) {
    const target = relative(root, resolve(importer, '..', source))
      .split(sep)
      .join('/')
    const ok = layer.mayReach.some((f) => target === f || target.startsWith(`${f}/`))
    return ok ? null : `${from} may not import ${target}: ${layer.why}`
  }
  // Virtual modules of Vite plugins (written \0id, or its escaped form in compiled code).
  if (/^(\0|\\0|virtual:|vite\/|plugin-vue:)/.test(source)) return null
  const bare = source.startsWith('node:') ? source : (source.split('/')[0] ?? source)
  if (source.startsWith('node:') || builtins.has(bare)) {
    return `${from} may not import ${source}: ${layer.why}`
  }
  return packageAllowed(layer, source) ? null : `${from} may not import ${source}: ${layer.why}`
}

// Import and export statements start a line in compiled modules; a quoted "from '…'" inside a
// string or template elsewhere on a line is not an import. Dynamic import() may sit anywhere.
const SPECIFIER =
  /^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)/gm

/** Every module specifier a compiled (type-free) module imports. */
export function specifiersOf(code: string): string[] {
  const out: string[] = []
  for (const m of code.matchAll(SPECIFIER)) out.push((m[1] ?? m[2] ?? m[3]) as string)
  return out
}

/** `root` is the project root (the folder of package.json); Vite runs configs from there. */
export function layerGuard(root: string = process.cwd()): Plugin {
  return {
    name: 'vcpu-lab-layer-guard',
    // After TypeScript is stripped, so `import type` (erased) never counts.
    enforce: 'post',
    transform(code, id) {
      const file = id.split('?')[0] ?? id
      if (file.includes('node_modules') || !/\.(ts|vue|js|mjs)$/.test(file)) return null
      for (const source of specifiersOf(code)) {
        const problem = importProblem(root, file, source)
        if (problem) this.error(`layering: ${problem}`)
      }
      return null
    },
  }
}
