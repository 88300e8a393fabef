/**
 * A path given as numbers instead of SVG path text, for what the timeline draws by the thousand
 * (span boxes, event marks, arrows). Path text costs twice per frame: building the string, then
 * ECharts parsing it back (zrender's createPathProxyFromString was a quarter of a frame at 200,000
 * spans). A `numberPath` element carries the commands as a flat array of numbers and its shape class
 * replays them on the canvas or into the SVG path of an export: the same picture, no text between.
 *
 * The shape is registered with ECharts by whoever draws (the app's chart module, the export's
 * server-side renderer) under NUMBER_PATH; this module holds no ECharts import so the option
 * builders stay pure.
 */

/** The element type a custom series item uses for a number path. */
export const NUMBER_PATH = 'numberPath'

/** Commands: move (x y), line (x y), box (x y w h). */
const MOVE = 0
const LINE = 1
const BOX = 2

/** Coordinates rounded to a tenth of a pixel, as the path text had them. */
const r1 = (v: number) => Math.round(v * 10) / 10

/** Collects the commands of one path. */
export class NumberPath {
  readonly ops: number[] = []
  get empty(): boolean {
    return this.ops.length === 0
  }
  moveTo(x: number, y: number): this {
    this.ops.push(MOVE, r1(x), r1(y))
    return this
  }
  lineTo(x: number, y: number): this {
    this.ops.push(LINE, r1(x), r1(y))
    return this
  }
  box(x: number, y: number, w: number, h: number): this {
    this.ops.push(BOX, r1(x), r1(y), r1(w), r1(h))
    return this
  }
}

/** What replays the commands: a canvas context or zrender's path proxy. */
export interface PathSink {
  moveTo(x: number, y: number): void
  lineTo(x: number, y: number): void
  rect(x: number, y: number, w: number, h: number): void
}

/** Replays `ops` into `ctx`; an unknown command ends the replay (nothing half-drawn beyond it). */
export function replayNumberPath(ctx: PathSink, ops: readonly number[]): void {
  let i = 0
  while (i < ops.length) {
    const op = ops[i]
    if (op === MOVE) ctx.moveTo(ops[i + 1]!, ops[i + 2]!)
    else if (op === LINE) ctx.lineTo(ops[i + 1]!, ops[i + 2]!)
    else if (op === BOX) ctx.rect(ops[i + 1]!, ops[i + 2]!, ops[i + 3]!, ops[i + 4]!)
    else return
    i += op === BOX ? 5 : 3
  }
}

/** The shape class's definition, for `graphic.extendShape` (then `registerShape(NUMBER_PATH, …)`). */
export const numberPathShape = {
  type: NUMBER_PATH,
  shape: { ops: [] as readonly number[] },
  buildPath(ctx: PathSink, shape: { ops: readonly number[] }): void {
    replayNumberPath(ctx, shape.ops)
  },
}

/** The part of ECharts' `graphic` namespace that registers a shape. */
export interface ShapeRegistry {
  extendShape(opts: typeof numberPathShape): unknown
  registerShape(name: string, shapeClass: unknown): void
}

/** Registers the number path with an ECharts (the page's `echarts/core`, or the full package). */
export function registerNumberPath(graphic: ShapeRegistry): void {
  graphic.registerShape(NUMBER_PATH, graphic.extendShape(numberPathShape))
}
