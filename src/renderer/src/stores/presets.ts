/** The built-in scenarios: the list, which one is picked, and its document (also put in the editor). */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { LabError, PresetSummary } from '../../../shared/contract'
import { ENGINES, type Engine } from '../../../shared/scenario/scenario'
import { useLabClient } from '../api/labClient'
import { useEditorStore } from './editor'
import { useFilesStore } from './files'

export const usePresetsStore = defineStore('presets', () => {
  const presets = ref<PresetSummary[]>([])
  const loading = ref(false)
  const error = ref<LabError | null>(null)
  const selectedId = ref<string | null>(null)
  const document = shallowRef<unknown>(null)

  const byEngine = computed(() =>
    ENGINES.map((engine: Engine) => ({
      engine,
      presets: presets.value.filter((p) => p.engine === engine),
    })).filter((g) => g.presets.length > 0),
  )
  const selected = computed(() => presets.value.find((p) => p.id === selectedId.value) ?? null)

  async function load(): Promise<void> {
    loading.value = true
    const out = await useLabClient().listPresets({})
    loading.value = false
    if (out.ok) {
      presets.value = out.value
      error.value = null
    } else error.value = out.error
  }

  /** Picks a preset and puts it in the editor (after asking, if there is unsaved work there). */
  async function select(id: string): Promise<boolean> {
    if (!(await useFilesStore().confirmDiscard('open another preset'))) return false
    const out = await useLabClient().readPreset({ id })
    if (!out.ok) {
      error.value = out.error
      return false
    }
    selectedId.value = id
    document.value = out.value.scenario
    error.value = null
    // A scenario to edit and run starts from the preset.
    useEditorStore().load(out.value.scenario, `preset ${id}`)
    return true
  }

  return { presets, loading, error, selectedId, selected, document, byEngine, load, select }
})
