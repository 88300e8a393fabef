/**
 * A list of plain records (a run's events, its spans) as typed columns, losslessly as JSON sees
 * them: records are grouped by shape (their keys in order, leaving out keys whose value is
 * undefined, as JSON.stringify does), and each key of a shape is one column, in the order the
 * records of that shape come. A column whose values are all 32-bit integers is an Int32Array, all
 * numbers a Float64Array; any other column holds indices into its own table of interned values
 * (strings, numbers, booleans, null, and the JSON text of arrays and objects), as a Uint8Array,
 * Uint16Array or Uint32Array as its largest index allows (a span's state: one byte). One more column gives each record's shape.
 *
 * Invariant: for every list of JSON-able records, `JSON.stringify(unpackRecords(packRecords(l)))`
 * equals `JSON.stringify(l)`: the same keys in the same order, the same values, nulls and arrays.
 */

export type Column = Int32Array | Float64Array | Uint8Array | Uint16Array | Uint32Array
export type ColumnType = 'i32' | 'f64' | 'u8' | 'u16' | 'u32'

/** One shape: its keys, how many records have it, and a column per key. */
export interface PackedShape {
  keys: string[]
  count: number
  /** Per key: the index of its column, and the values its indices stand for (none: numbers). */
  columns: PackedColumn[]
}

export interface PackedColumn {
  column: number
  /** Interned values: strings, numbers, booleans and null as themselves... */
  atoms?: unknown[]
  /** ...and, at these indices, the JSON text of an array or an object. */
  atomJson?: number[]
}

export interface PackedRecords {
  count: number
  /** The column of each record's shape (an index into `shapes`). */
  shapeColumn: number
  shapes: PackedShape[]
}

export function columnType(c: Column): ColumnType {
  if (c instanceof Int32Array) return 'i32'
  if (c instanceof Float64Array) return 'f64'
  if (c instanceof Uint8Array) return 'u8'
  if (c instanceof Uint16Array) return 'u16'
  return 'u32'
}

/** The smallest unsigned column that holds indices up to `max`, filled from `values`. */
export function indexColumn(values: ArrayLike<number>, max: number): Column {
  const C = max < 1 << 8 ? Uint8Array : max < 1 << 16 ? Uint16Array : Uint32Array
  return C.from(values)
}

/** Values interned by the packer: strings by themselves, other values by their JSON text. */
export class AtomTable {
  /** Strings, numbers, booleans and null as themselves; arrays and objects as JSON text. */
  readonly values: unknown[] = []
  /** Indices of `values` that are JSON text (an array or an object). */
  readonly json: number[] = []
  private readonly strings = new Map<string, number>()
  private readonly numbers = new Map<number, number>()
  private readonly others = new Map<string, number>()
  private readonly flat = new Map<string, string>()

  of(v: unknown): number {
    if (typeof v === 'string') return this.intern(this.strings, v, v)
    if (typeof v === 'number' && Number.isFinite(v)) return this.intern(this.numbers, v, v)
    if (v === null || typeof v === 'boolean') return this.intern(this.others, String(v), v)
    const text = (Array.isArray(v) && this.flatText(v)) || (JSON.stringify(v) ?? 'null')
    const composite = v !== null && typeof v === 'object'
    const i = this.intern(this.others, text, composite ? text : JSON.parse(text))
    if (composite && this.values.length - 1 === i && this.json[this.json.length - 1] !== i) {
      this.json.push(i)
    }
    return i
  }

  /**
   * The JSON text of a short array of plain strings (a list of tracks), kept by the strings
   * joined, so the array is written out once, not at every use; undefined for any other array.
   */
  private flatText(v: unknown[]): string | undefined {
    if (v.length > 8) return undefined
    for (const x of v) if (typeof x !== 'string' || x.includes('\u0000')) return undefined
    const key = v.join('\u0000')
    let text = this.flat.get(key)
    if (text === undefined) {
      text = JSON.stringify(v)
      this.flat.set(key, text)
    }
    return text
  }

  private intern<K>(map: Map<K, number>, key: K, value: unknown): number {
    let i = map.get(key)
    if (i === undefined) {
      i = this.values.length
      this.values.push(value)
      map.set(key, i)
    }
    return i
  }
}

/** What the packer collects: the columns made so far. */
export interface Packer {
  columns: Column[]
}

function add(p: Packer, c: Column): number {
  p.columns.push(c)
  return p.columns.length - 1
}

/**
 * One key's `size` values as they come: 32-bit integers in an Int32Array, widened to a
 * Float64Array at the first number that is not one, and at the first value that is not a number,
 * every value (those before too) as an index into its atoms, in a Uint8Array widened to Uint16 or
 * Uint32 only when an index needs it. Each array is made once at the column's full size and is the
 * column itself when done, not copied: a large run's typed arrays made and copied by the thousand
 * each ask V8 for a full collection of the heap the run's result fills (the events of
 * book3s-large spent 0.4 s of 0.9 s in the collector when every column was made twice).
 */
export class ColumnBuilder {
  private ints: Int32Array | null
  private nums: Float64Array | null = null
  private idx: Uint8Array | Uint16Array | Uint32Array | null = null
  private atoms: AtomTable | null = null
  private n = 0

  constructor(private readonly size: number) {
    this.ints = new Int32Array(size)
  }

  push(v: unknown): void {
    if (typeof v === 'number' && !this.idx) {
      if (this.ints) {
        if ((v | 0) === v) {
          this.ints[this.n++] = v
          return
        }
        this.nums = new Float64Array(this.size)
        this.nums.set(this.ints.subarray(0, this.n))
        this.ints = null
      }
      ;(this.nums as Float64Array)[this.n++] = v
      return
    }
    const a = (this.atoms ?? this.toAtoms()).of(v)
    this.put(a)
  }

  /** Writes index `a` at the next place, widening the index array when `a` needs it. */
  private put(a: number): void {
    let idx = this.idx as Uint8Array | Uint16Array | Uint32Array
    if (a > 0xff && idx instanceof Uint8Array) idx = this.idx = widen(idx, Uint16Array, this.n)
    if (a > 0xffff && idx instanceof Uint16Array) idx = this.idx = widen(idx, Uint32Array, this.n)
    idx[this.n++] = a
  }

  private toAtoms(): AtomTable {
    const nums: ArrayLike<number> = this.ints ?? (this.nums as Float64Array)
    const atoms = (this.atoms = new AtomTable())
    const n = this.n
    this.idx = new Uint8Array(this.size)
    this.n = 0
    for (let i = 0; i < n; i++) this.put(atoms.of(nums[i]))
    this.ints = null
    this.nums = null
    return atoms
  }

  /** The column, and its atoms when it holds indices. */
  done(p: Packer): PackedColumn {
    const exact = <T extends Column>(c: T): T =>
      this.n === c.length ? c : (c.slice(0, this.n) as T)
    if (!this.idx) return { column: add(p, exact((this.ints ?? this.nums) as Column)) }
    const column = add(p, exact(this.idx))
    return { column, atoms: this.atoms!.values, atomJson: this.atoms!.json }
  }
}

/** The first `n` indices of `from` in a wider array of the same size. */
function widen<C extends Uint16Array | Uint32Array>(
  from: Uint8Array | Uint16Array,
  Wider: { new (size: number): C },
  n: number,
): C {
  const out = new Wider(from.length)
  out.set(from.subarray(0, n))
  return out
}

/**
 * A shape, found by walking its keys from the root of a tree of shapes (exact, and without
 * building a string per record); a node remembers the last key it was asked for, as records of
 * one shape tend to come together.
 */
interface ShapeNode {
  next: Map<string, ShapeNode>
  lastKey: string | null
  last: ShapeNode | null
  shape: { id: number; keys: string[]; columns: ColumnBuilder[]; count: number } | null
}

const node = (): ShapeNode => ({ next: new Map(), lastKey: null, last: null, shape: null })

function step(at: ShapeNode, k: string): ShapeNode {
  if (at.lastKey === k) return at.last as ShapeNode
  let n = at.next.get(k)
  if (!n) at.next.set(k, (n = node()))
  at.lastKey = k
  at.last = n
  return n
}

/** Whether JSON.stringify writes a key with this value (it leaves out undefined and functions). */
const written = (v: unknown) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol'

type Shape = NonNullable<ShapeNode['shape']>

/** Each record's shape (pass one): the shapes, and each record's in `shapeOf`. */
function shapesOf(records: readonly object[], shapeOf: Uint32Array): Shape[] {
  const root = node()
  const shapes: Shape[] = []
  const keys: string[] = []
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as Record<string, unknown>
    let at = root
    let n = 0
    // for…in visits a plain object's own keys in JSON.stringify's order, and V8 reads r[k]
    // there from the object's enum cache, fast.
    for (const k in r) {
      if (!written(r[k])) continue
      at = step(at, k)
      keys[n++] = k
    }
    let s = at.shape
    if (!s) {
      s = at.shape = { id: shapes.length, keys: keys.slice(0, n), columns: [], count: 0 }
      shapes.push(s)
    }
    s.count++
    shapeOf[i] = s.id
  }
  return shapes
}

export function packRecords(p: Packer, records: readonly object[]): PackedRecords {
  const shapeOf = new Uint32Array(records.length)
  const shapes = shapesOf(records, shapeOf)
  for (const s of shapes) s.columns = s.keys.map(() => new ColumnBuilder(s.count))
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as Record<string, unknown>
    const columns = (shapes[shapeOf[i] as number] as Shape).columns
    let j = 0
    for (const k in r) {
      const v = r[k]
      if (written(v)) (columns[j++] as ColumnBuilder).push(v)
    }
  }
  const shapeColumn = add(p, indexColumn(shapeOf, shapes.length))
  return {
    count: records.length,
    shapeColumn,
    shapes: shapes.map((s) => ({
      keys: s.keys,
      count: s.count,
      columns: s.columns.map((b) => b.done(p)),
    })),
  }
}

/** The interned values as the unpacker reads them: flat arrays shared (frozen), deeper values
 * parsed afresh for each use. */
export interface Atoms {
  /** The values, arrays and objects parsed once from their JSON text. */
  values: readonly unknown[]
  /** 0: a primitive, given as it is; 1: an array of primitives, given as one frozen array to
   * every record that has it; 2: a deeper array or an object, given as a fresh parse of its JSON
   * text (in `texts`). */
  kind: Uint8Array
  texts: readonly unknown[]
}

export function atomsOf(texts: readonly unknown[], json: readonly number[]): Atoms {
  const kind = new Uint8Array(texts.length)
  const values = [...texts]
  for (const i of json) {
    const v: unknown = JSON.parse(texts[i] as string)
    const flat = Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')
    values[i] = flat ? Object.freeze(v) : v
    kind[i] = flat ? 1 : 2
  }
  return { values, kind, texts }
}

/**
 * A flat array (a list of tracks, of vcpus) is one frozen array for every record that has it, as
 * the engines share such arrays among their events: views read events and never change them, and
 * one that tried would throw rather than change other events. The 327,680 IPIs of xen-large each
 * had a copy of one of 2,047 one-track lists: the copies were an eighth of the events' unpacking.
 * An object, or an array holding objects, is parsed afresh for each use.
 */
function atom(atoms: Atoms, i: number): unknown {
  const k = atoms.kind[i]
  if (k === 0) return atoms.values[i]
  return k === 1 ? atoms.values[i] : JSON.parse(atoms.texts[i] as string)
}

const OWN = { enumerable: true, writable: true, configurable: true }

export function unpackRecords(
  packed: PackedRecords,
  columns: readonly Column[],
): Record<string, unknown>[] {
  const out = new Array<Record<string, unknown>>(packed.count)
  const shapeOf = columns[packed.shapeColumn] as Column
  const cursors = new Uint32Array(packed.shapes.length)
  const shapes = packed.shapes.map((s) => ({
    keys: s.keys,
    cols: s.columns.map((c) => columns[c.column] as Column),
    atoms: s.columns.map((c) => (c.atoms ? atomsOf(c.atoms, c.atomJson ?? []) : null)),
    // A key "__proto__" must become an own property, as JSON.parse makes it, not the prototype.
    proto: s.keys.indexOf('__proto__'),
  }))
  for (let i = 0; i < packed.count; i++) {
    const id = shapeOf[i] as number
    const s = shapes[id] as (typeof shapes)[number]
    const k = (cursors[id] as number)++
    const r: Record<string, unknown> = {}
    for (let j = 0; j < s.keys.length; j++) {
      const v = (s.cols[j] as Column)[k] as number
      const atoms = s.atoms[j]
      const value = atoms ? atom(atoms, v) : v
      if (j === s.proto) Object.defineProperty(r, '__proto__', { value, ...OWN })
      else r[s.keys[j] as string] = value
    }
    out[i] = r
  }
  return out
}
