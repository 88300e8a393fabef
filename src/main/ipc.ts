/**
 * Every IPC handler of the app, registered in one place from the contract. Each request is checked
 * twice before a service sees it: the sender must be the app's own page, and the payload must
 * match the method's schema. Errors go back as data (`{ok:false, error}`).
 *
 * A run's result comes from the worker packed (its columns' buffers moved to this thread) and goes
 * to the page as its frame, one Uint8Array (src/shared/packed/frame.ts): Electron's IPC copies it
 * with the structured clone algorithm as bytes, with no JSON text and no object per event or
 * span. (An ArrayBuffer cannot be transferred from one process to another: webContents'
 * postMessage transfers only MessagePorts, so one copy of the bytes is the least there is.) The
 * preload hands it on unchanged; contextBridge copies it into the page as a cloneable type (its
 * documented type table), and the page's lab client unpacks it.
 */
import {
  EVENT_CHANNELS,
  LAB_METHODS,
  channelOf,
  fail,
  ok,
  type LabHandlers,
  type LabMethod,
  type Outcome,
} from '../shared/contract'
import { checkRequest } from '../shared/contractSchemas'
import { frameBytes } from '../shared/packed/frame'
import type { PackedRun } from '../shared/packed/packedRun'

/** The part of Electron's IpcMainInvokeEvent the handlers use. */
export interface IpcEventLike {
  senderFrame: { url: string } | null
  sender: { send(channel: string, payload: unknown): void; isDestroyed?(): boolean }
}

/** The part of Electron's ipcMain used here, so tests can hand in a fake. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcEventLike, payload: unknown) => Promise<unknown>,
  ): void
  removeHandler(channel: string): void
}

export interface IpcOptions {
  /** True only for URLs of the app's own renderer. */
  isTrustedUrl(url: string): boolean
  /** Where unexpected errors are logged (main process console by default). */
  log?: (message: string) => void
}

export function registerIpc(ipc: IpcMainLike, handlers: LabHandlers, opts: IpcOptions): () => void {
  for (const method of LAB_METHODS) {
    ipc.handle(channelOf(method), (event, payload) =>
      dispatch(method, event, payload, handlers, opts),
    )
  }
  return () => LAB_METHODS.forEach((m) => ipc.removeHandler(channelOf(m)))
}

async function dispatch<M extends LabMethod>(
  method: M,
  event: IpcEventLike,
  payload: unknown,
  handlers: LabHandlers,
  opts: IpcOptions,
): Promise<Outcome<unknown>> {
  const url = event.senderFrame?.url ?? ''
  if (!opts.isTrustedUrl(url)) {
    return fail('forbidden', `${method}: refused a request from ${url || 'an unknown frame'}`)
  }
  const request = checkRequest(method, payload)
  if (!request.ok) return request
  const handler = handlers[method] as (
    req: unknown,
    ctx: Parameters<LabHandlers[M]>[1],
  ) => Promise<Outcome<unknown>>
  try {
    const out = await handler(request.value, {
      onProgress: (p) => {
        if (!event.sender.isDestroyed?.()) event.sender.send(EVENT_CHANNELS.runProgress, p)
      },
    })
    if (method !== 'run' || !out.ok) return out
    return ok(frameBytes(out.value as PackedRun, (text) => new TextEncoder().encode(text)))
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    ;(opts.log ?? console.error)(`ipc ${method} failed: ${message}`)
    return fail('internal', `${method} failed: ${message}`)
  }
}
