/**
 * The run in the formats people's own tools print: `lab run --format NAME` and the app's
 * "In your tools" panel both take a view from this table.
 */
import type { RunResult } from '../result'
import type { Engine } from '../scenario/scenario'
import { ppc64CpuInfo, qemuInfoCpus } from './pseriesViews'
import type { TextView } from './textView'
import { xlVcpuList } from './xlVcpuList'

export { viewText, type TextView } from './textView'

export interface ViewOptions {
  /** xl vcpu-list: list offline vCPUs (`--p`), as xl does. Default true. */
  offline?: boolean
}

export interface ViewFormat {
  name: string
  engine: Engine
  /** A few words for menus and help. */
  title: string
  render(r: RunResult, opts: ViewOptions): TextView
}

export const VIEW_FORMATS: readonly ViewFormat[] = [
  {
    name: 'xl-vcpu-list',
    engine: 'xen',
    title: 'xl vcpu-list: the domain’s vCPUs as xl prints them',
    render: (r, opts) => xlVcpuList(r as Extract<RunResult, { engine: 'xen' }>, opts),
  },
  {
    name: 'ppc64-cpu-info',
    engine: 'book3s',
    title: 'ppc64_cpu --info: the guest’s cores and threads',
    render: (r) => ppc64CpuInfo(r as Extract<RunResult, { engine: 'book3s' }>),
  },
  {
    name: 'qemu-info-cpus',
    engine: 'book3s',
    title: 'info cpus: QEMU’s monitor',
    render: (r) => qemuInfoCpus(r as Extract<RunResult, { engine: 'book3s' }>),
  },
]

export function viewsFor(engine: Engine): readonly ViewFormat[] {
  return VIEW_FORMATS.filter((f) => f.engine === engine)
}

/** A view of the run, or why not (an unknown name, or a view of the other engine). */
export function renderView(
  r: RunResult,
  name: string,
  opts: ViewOptions = {},
): { ok: true; view: TextView } | { ok: false; message: string } {
  const f = VIEW_FORMATS.find((v) => v.name === name)
  if (!f) {
    return {
      ok: false,
      message: `must be json or one of ${VIEW_FORMATS.map((v) => `"${v.name}"`).join(', ')} (got "${name}")`,
    }
  }
  if (f.engine !== r.engine) {
    return {
      ok: false,
      message: `"${name}" shows a ${f.engine} run; this is a ${r.engine} run: use ${viewsFor(
        r.engine,
      )
        .map((v) => `"${v.name}"`)
        .join(' or ')}`,
    }
  }
  return { ok: true, view: f.render(r, opts) }
}
