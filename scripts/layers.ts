/**
 * The layering of docs/development.md as data: which folder may import what. Used by the build (the
 * `layerGuard` Vite plugin refuses a forbidden import) and by ESLint (`no-restricted-imports`).
 */
export interface Layer {
  /** Folder, relative to the project root. */
  folder: string
  /** Project folders its relative imports may reach. */
  mayReach: string[]
  /** Bare packages it may import (a prefix matches subpaths too); Node built-ins are never allowed here. */
  packages: string[]
  why: string
}

/** The design files: data every layer may read (each design is one file; designs/index.ts the table). */
const DESIGNS = ['src/engines/book3s/designs', 'src/engines/xen/designs', 'src/engines/xen/eras']

export const LAYERS: Layer[] = [
  ...DESIGNS.map((folder) => ({
    folder,
    mayReach: [folder],
    packages: [],
    why: 'a design is data: it imports no values, so the schema, the screens and the engine can all read it',
  })),
  {
    folder: 'src/engines',
    mayReach: ['src/engines', 'src/shared'],
    packages: [],
    why: 'engines are pure, deterministic models: no electron, node:*, DOM, Vue or third-party code',
  },
  {
    folder: 'src/shared',
    mayReach: ['src/shared', ...DESIGNS],
    packages: ['zod'],
    why: 'shared code runs everywhere: no electron, node:*, DOM or Vue',
  },
  {
    folder: 'src/renderer',
    mayReach: ['src/renderer', 'src/shared'],
    packages: ['vue', 'pinia', 'echarts', 'vue-echarts', 'zod'],
    why: 'the renderer reaches the engines only through window.lab (labClient)',
  },
  {
    folder: 'src/preload',
    mayReach: ['src/preload', 'src/shared'],
    packages: ['electron'],
    why: 'the preload exposes window.lab and nothing else',
  },
]

export function packageAllowed(layer: Layer, source: string): boolean {
  return layer.packages.some((p) => source === p || source.startsWith(`${p}/`))
}
