// @vitest-environment happy-dom
/**
 * Import… and "In your tools" in happy-dom: an import that the lab accepts becomes the editor's
 * unsaved document with its report; a refused one changes nothing; the views show the run as the
 * tools print it.
 */
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import ImportDialog from '../../src/renderer/src/components/ImportDialog.vue'
import RunViewsPanel from '../../src/renderer/src/components/RunViewsPanel.vue'
import { useEditorStore } from '../../src/renderer/src/stores/editor'
import { mountLab, unmountAll } from './mountLab'
import { presetRun } from './presetsFixture'

afterEach(() => unmountAll())

const golden = presetRun

describe('ImportDialog', () => {
  it('imports a pasted QEMU line into the editor as unsaved work and lists what it used, assumed and ignored', async () => {
    const { wrapper } = await mountLab(ImportDialog)
    await wrapper
      .get('[data-testid="import-text"]')
      .setValue('qemu-system-ppc64 -M pseries,vsmt=8 -accel kvm -cpu POWER8 -smp 8,threads=2 -m 4G')
    await wrapper.get('[data-testid="import-run"]').trigger('click')
    await flushPromises()
    const editor = useEditorStore()
    expect(editor.draft).toMatchObject({ engine: 'book3s', guest: { vcpus: 8, threads: 2 } })
    expect(editor.dirty).toBe(true)
    expect(wrapper.get('[data-testid="import-used"]').text()).toContain(
      '-smp = 8 vcpus, 2 per core',
    )
    expect(wrapper.get('[data-testid="import-ignored"]').text()).toContain('-m = 4G')
  })

  it('asks for the processor of a -cpu host line, and takes it from the Processor field', async () => {
    const { wrapper } = await mountLab(ImportDialog)
    await wrapper
      .get('[data-testid="import-text"]')
      .setValue('qemu-system-ppc64 -M pseries -enable-kvm -smp 2')
    await wrapper.get('[data-testid="import-run"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="import-problems"]').text()).toContain(
      '--processor POWER7, POWER8 or POWER9',
    )
    expect(useEditorStore().draft).toBeNull()
    await wrapper.get('[data-testid="import-processor"]').setValue('POWER9')
    await wrapper.get('[data-testid="import-run"]').trigger('click')
    await flushPromises()
    expect(useEditorStore().draft).toMatchObject({ host: { processor: 'POWER9' } })
  })
})

describe('RunViewsPanel', () => {
  it('shows a book3s run as ppc64_cpu --info, then as info cpus', async () => {
    const { wrapper } = await mountLab(
      RunViewsPanel,
      {},
      { result: golden('book3s-power8-qemu-pseries-4-1-smt2') },
    )
    expect(wrapper.get('[data-testid="run-view-output"]').text()).toContain('Core   3:    6*    7*')
    await wrapper.get('[data-testid="run-view-qemu-info-cpus"]').trigger('click')
    expect(wrapper.get('[data-testid="run-view-output"]').text()).toContain('* CPU #0: thread_id=-')
  })

  it('shows a Xen run as xl vcpu-list, offline vCPUs as --p until they are left out', async () => {
    const { wrapper } = await mountLab(
      RunViewsPanel,
      {},
      { result: golden('xen-pvhvm-xl-2-of-4-online') },
    )
    const count = () =>
      (wrapper.get('[data-testid="run-view-output"]').text().match(/ --p /g) ?? []).length
    expect(count()).toBe(2)
    await wrapper.get('[data-testid="run-view-offline"]').setValue(false)
    expect(count()).toBe(0)
  })
})
