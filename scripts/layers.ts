/**
 * The layering of docs/development.md as data: what each folder of src/ may import. ESLint enforces
 * it (eslint.config.ts: `import-x/no-restricted-paths` over resolved paths, `no-nodejs-modules`),
 * and each folder's tsconfig says the same with its `references` (a project can reach only the
 * projects it references, TS6307) and its `lib`/`types` (no DOM or Node types where none run).
 * test/unit/layering.test.ts proves the rules bite and that the tsconfigs agree with this table.
 */
export interface Layer {
  /** Folder, relative to the project root. */
  folder: string
  /** Its TypeScript project. */
  tsconfig: string
  /**
   * Other project paths its imports may reach: a folder, or one file of a folder (the preload
   * reaches only the contract of src/shared).
   */
  mayReach: string[]
  /** Packages it may import (subpaths included). */
  packages: string[]
  /** Whether Node's built-in modules (`node:*`) and types are there. */
  node: boolean
  /** Whether it runs in a page, with the DOM's types. */
  dom: boolean
  why: string
}

export const LAYERS: readonly Layer[] = [
  {
    folder: 'src/designs',
    tsconfig: 'tsconfig.designs.json',
    mayReach: [],
    packages: [],
    node: false,
    dom: false,
    why: 'a design is data every layer may read (the schema, the screens, the engines): it imports nothing',
  },
  {
    folder: 'src/shared',
    tsconfig: 'tsconfig.shared.json',
    mayReach: ['src/designs'],
    packages: ['zod', 'fast-xml-parser', 'shell-quote', 'jsonc-parser'],
    node: false,
    dom: false,
    why: 'src/shared runs everywhere: no Electron, Node, DOM or Vue; of src/ it reads only the designs',
  },
  {
    folder: 'src/engines',
    tsconfig: 'tsconfig.engine.json',
    mayReach: ['src/shared', 'src/designs'],
    packages: [],
    node: false,
    dom: false,
    why: 'the engines are pure, deterministic models: src/shared and the designs, nothing else',
  },
  {
    folder: 'src/services',
    tsconfig: 'tsconfig.services.json',
    mayReach: ['src/engines', 'src/shared'],
    packages: ['@resvg/resvg-js', 'echarts', 'tsx'],
    node: true,
    dom: false,
    why: 'the services are Node code every carrier shares: never Electron, never a carrier',
  },
  {
    folder: 'src/cli',
    tsconfig: 'tsconfig.cli.json',
    mayReach: ['src/services', 'src/engines', 'src/shared'],
    packages: ['commander'],
    node: true,
    dom: false,
    why: 'the CLI runs in plain Node: no Electron, no other carrier',
  },
  {
    folder: 'src/host',
    tsconfig: 'tsconfig.host.json',
    mayReach: ['src/services', 'src/shared'],
    packages: ['commander'],
    node: true,
    dom: false,
    why: 'the loopback host runs the engines through src/services, in plain Node (no Electron)',
  },
  {
    folder: 'src/main',
    tsconfig: 'tsconfig.main.json',
    mayReach: ['src/services', 'src/shared'],
    packages: ['electron'],
    node: true,
    dom: false,
    why: 'the main process composes Electron and src/services; the engines run in the worker',
  },
  {
    folder: 'src/preload',
    tsconfig: 'tsconfig.preload.json',
    mayReach: ['src/shared/contract.ts'],
    packages: ['electron'],
    node: false,
    dom: false,
    why: 'the sandboxed preload exposes window.lab from the contract, with electron and nothing else',
  },
  {
    folder: 'src/preview',
    tsconfig: 'tsconfig.preview.json',
    mayReach: ['src/shared'],
    packages: [],
    node: false,
    dom: true,
    why: "the browser preview's window.lab speaks the contract over fetch, with the DOM alone",
  },
  {
    folder: 'src/renderer',
    tsconfig: 'tsconfig.web.json',
    mayReach: ['src/shared'],
    packages: ['vue', 'pinia', 'echarts', 'vue-echarts', 'zod'],
    node: false,
    dom: true,
    why: 'the page reaches the engines only through window.lab (labClient): no Node, no Electron',
  },
]
