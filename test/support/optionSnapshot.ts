/**
 * An ECharts option as plain data, functions included: each custom series' `renderItem` is
 * replaced by what it draws for every data item, an item tooltip by its text for every item of
 * every series, an axis label formatter by its text at the axis' ends and eleven points between.
 * Two options with the same plain form draw the same picture; `optionDigest` is its SHA-256.
 */
import { createHash } from 'node:crypto'

type Fn = (...args: never[]) => unknown

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v]
}

function plain(
  v: unknown,
  path: string,
  expand: (key: string, fn: Fn, at: string) => unknown,
): unknown {
  if (typeof v === 'function') return expand(path.slice(path.lastIndexOf('.') + 1), v as Fn, path)
  if (Array.isArray(v)) return v.map((x, i) => plain(x, `${path}[${i}]`, expand))
  if (!isObject(v)) return v
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v)) out[k] = plain(v[k], `${path}.${k}`, expand)
  return out
}

export function optionSnapshot(option: Record<string, unknown>): unknown {
  const series = asArray(option.series).filter(isObject)
  const itemsOf = (s: Record<string, unknown>) => asArray(s.data).length
  return plain(option, 'option', (key, fn, at) => {
    const call = fn as unknown as (...args: unknown[]) => unknown
    if (key === 'renderItem') {
      const s = series.find((x) => x.renderItem === fn)
      if (!s) throw new Error(`${at}: a renderItem outside a series`)
      return Array.from({ length: itemsOf(s) }, (_, dataIndex) =>
        plain(call({ dataIndex, seriesName: s.name }), `${at}(${dataIndex})`, () => {
          throw new Error(`${at}: a function in what renderItem drew`)
        }),
      )
    }
    if (key === 'formatter' && at.startsWith('option.tooltip')) {
      return series.map((s) =>
        Array.from({ length: itemsOf(s) }, (_, dataIndex) =>
          call({ seriesName: s.name, dataIndex }),
        ),
      )
    }
    if (key === 'formatter' && /^option\.[xy]Axis/.test(at)) {
      const axis = option[at.startsWith('option.x') ? 'xAxis' : 'yAxis'] as Record<string, unknown>
      const [min, max] = [Number(axis.min ?? 0), Number(axis.max ?? 1)]
      return Array.from({ length: 13 }, (_, i) => call(min + ((max - min) * i) / 12, i))
    }
    throw new Error(`${at}: a function optionSnapshot does not know how to read`)
  })
}

export function optionDigest(option: Record<string, unknown>): string {
  return createHash('sha256')
    .update(JSON.stringify(optionSnapshot(option)))
    .digest('hex')
}
