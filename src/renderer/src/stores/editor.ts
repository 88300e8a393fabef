/**
 * The scenario being edited: a plain JSON document (a copy of a preset, a file, or typed in),
 * validated as it changes with the shared schema, so each field can show the schema's message
 * beside it. The JSON view and the form edit the same document.
 *
 * It also knows which file the document is (its name and the handle main gave for it) and what
 * was last opened or saved, so it can say whether there are unsaved changes.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, type Ref, type ShallowRef } from 'vue'
import { readJson } from '../../../shared/files/jsonText'
import { setAt, starterScenario } from '../../../shared/lab/scenarioForm'
import { parseScenario, type Problem } from '../../../shared/scenario'
import type { PathSegment } from '../../../shared/scenario/problems'
import type { Engine } from '../../../shared/scenario/scenario'

/** The file a document belongs to: its name, and main's handle for its path (null: no path). */
export interface DocumentFile {
  name: string
  fileId: string | null
}

export interface LoadOptions {
  /** The text as written (a file's own formatting); else the document is pretty-printed. */
  text?: string
  file?: DocumentFile | null
  /** The document has changes no file holds (a restored draft). */
  unsaved?: boolean
}

const canonical = (doc: unknown) => JSON.stringify(doc)

/** The store's state, shared by the helpers that make its getters and actions. */
interface EditorState {
  draft: ShallowRef<unknown>
  jsonText: Ref<string>
  jsonError: Ref<string | null>
  origin: Ref<string | null>
  edited: Ref<boolean>
  file: Ref<DocumentFile | null>
  baseline: Ref<string | null>
  generation: Ref<number>
}

/** What the document is: its check against the schema (problems by path), engine, name, and
 * whether it holds work no file or preset holds. */
function documentFacts({ draft, jsonError, baseline }: EditorState) {
  const parsed = computed(() => (draft.value === null ? null : parseScenario(draft.value)))
  const problems = computed<Problem[]>(() =>
    parsed.value && !parsed.value.ok ? parsed.value.problems : [],
  )
  const byPath = computed(() => {
    const m = new Map<string, string[]>()
    for (const p of problems.value) m.set(p.path, [...(m.get(p.path) ?? []), p.message])
    return m
  })
  const engine = computed<Engine | null>(() => {
    const e = (draft.value as { engine?: unknown } | null)?.engine
    return e === 'book3s' || e === 'xen' ? e : null
  })
  /** There is work no file or preset holds. */
  const dirty = computed(
    () =>
      draft.value !== null &&
      (baseline.value === null ||
        jsonError.value !== null ||
        canonical(draft.value) !== baseline.value),
  )
  /** The scenario's own name, if it has one. */
  const scenarioName = computed(() => {
    const n = (draft.value as { name?: unknown } | null)?.name
    return typeof n === 'string' && n ? n : null
  })
  return { parsed, problems, byPath, engine, dirty, scenarioName }
}

/** Edits: a field set from the form (or another engine picked), or the JSON view's text. */
function editActions(s: EditorState, engine: Readonly<Ref<Engine | null>>) {
  const { draft, jsonText, jsonError, edited } = s

  function setField(path: readonly PathSegment[], value: unknown): void {
    if (path.length === 1 && path[0] === 'engine' && (value === 'book3s' || value === 'xen')) {
      if (value !== engine.value) return switchEngine(value)
    }
    draft.value = setAt(draft.value, path, value)
    jsonText.value = JSON.stringify(draft.value, null, 2)
    jsonError.value = null
    edited.value = true
  }

  /** Another engine has other fields: start from its starter, keeping name, description, seed. */
  function switchEngine(to: Engine): void {
    const old = (draft.value ?? {}) as Record<string, unknown>
    const next: Record<string, unknown> = starterScenario(to)
    for (const k of ['name', 'description', 'seed']) if (old[k] !== undefined) next[k] = old[k]
    draft.value = next
    jsonText.value = JSON.stringify(next, null, 2)
    jsonError.value = null
    edited.value = true
  }

  function setJson(text: string): void {
    jsonText.value = text
    edited.value = true
    const read = readJson(text)
    if (read.ok) {
      draft.value = read.document
      jsonError.value = null
    } else {
      // A key given twice or a rounded fraction is refused like a syntax error (jsonStrict.ts).
      jsonError.value = read.problems
        .map((p) => (p.path ? `${p.path}: ${p.message}` : p.message))
        .join('; ')
    }
  }

  return { setField, setJson }
}

/** Loading a document (a preset, a file, a restored draft) and marking it saved to a file. */
function loadActions(s: EditorState, setJson: (text: string) => void) {
  const { draft, jsonText, jsonError, origin, edited, file, baseline, generation } = s

  function load(doc: unknown, from: string | null, opts: LoadOptions = {}): void {
    draft.value = structuredClone(doc)
    jsonText.value = opts.text ?? JSON.stringify(doc, null, 2)
    jsonError.value = null
    origin.value = from
    edited.value = opts.unsaved === true
    file.value = opts.file ?? null
    baseline.value = opts.unsaved ? null : canonical(doc)
    generation.value++
  }

  /** Text that may not parse (a restored draft typed half-way): the form keeps what parses. */
  function loadText(text: string, from: string | null, opts: LoadOptions = {}): void {
    let doc: unknown = {}
    try {
      doc = JSON.parse(text) as unknown
    } catch {
      // setJson below records the parser's message.
    }
    load(doc, from, { ...opts, text })
    setJson(text)
    edited.value = opts.unsaved === true
  }

  /** The document is now in `saved` (as of the text that was written). */
  function markSaved(saved: DocumentFile, writtenText: string): void {
    file.value = saved
    origin.value = `file ${saved.name}`
    try {
      baseline.value = canonical(JSON.parse(writtenText))
    } catch {
      baseline.value = null
    }
  }

  return { load, loadText, markSaved }
}

export const useEditorStore = defineStore('editor', () => {
  const draft = shallowRef<unknown>(null)
  const jsonText = ref('')
  /** The JSON view's text does not parse: the parser's message with its line and column (the form
   * keeps the last good document, and nothing runs until the text parses again). */
  const jsonError = ref<string | null>(null)
  /** Where the draft came from, e.g. `preset book3s-power8-doorbell-first-come` or `file a.json`. */
  const origin = ref<string | null>(null)
  /** Changed since it was loaded. */
  const edited = ref(false)
  const file = ref<DocumentFile | null>(null)
  /** The document as last loaded or saved (canonical JSON); null when no file or preset holds it. */
  const baseline = ref<string | null>(null)
  /** Bumped on every load, so views can tell a new document from an edit. */
  const generation = ref(0)

  const state: EditorState = {
    draft,
    jsonText,
    jsonError,
    origin,
    edited,
    file,
    baseline,
    generation,
  }
  const { parsed, problems, byPath, engine, dirty, scenarioName } = documentFacts(state)
  const { setField, setJson } = editActions(state, engine)
  const { load, loadText, markSaved } = loadActions(state, setJson)

  return {
    draft,
    jsonText,
    jsonError,
    origin,
    edited,
    file,
    baseline,
    generation,
    parsed,
    problems,
    byPath,
    engine,
    dirty,
    scenarioName,
    load,
    loadText,
    markSaved,
    setField,
    setJson,
  }
})
