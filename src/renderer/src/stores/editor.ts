/**
 * The scenario being edited: a plain JSON document (a copy of a preset, or typed in), validated
 * as it changes with the shared schema, so each field can show the schema's message beside it.
 * The JSON view and the form edit the same document.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { setAt, starterScenario } from '../../../shared/lab/scenarioForm'
import { parseScenario, type Problem } from '../../../shared/scenario'
import type { PathSegment } from '../../../shared/scenario/problems'
import type { Engine } from '../../../shared/scenario/scenario'

export const useEditorStore = defineStore('editor', () => {
  const draft = shallowRef<unknown>(null)
  const jsonText = ref('')
  /** The JSON view's text does not parse: the parser's message (the form keeps the last good). */
  const jsonError = ref<string | null>(null)
  /** Where the draft came from, e.g. `preset book3s-power8-doorbell-first-come`. */
  const origin = ref<string | null>(null)
  /** Changed since it was loaded. */
  const edited = ref(false)

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

  function load(doc: unknown, from: string | null): void {
    draft.value = structuredClone(doc)
    jsonText.value = JSON.stringify(doc, null, 2)
    jsonError.value = null
    origin.value = from
    edited.value = false
  }

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
    try {
      draft.value = JSON.parse(text) as unknown
      jsonError.value = null
    } catch (err) {
      jsonError.value = (err as Error).message
    }
  }

  return {
    draft,
    jsonText,
    jsonError,
    origin,
    edited,
    parsed,
    problems,
    byPath,
    engine,
    load,
    setField,
    setJson,
  }
})
