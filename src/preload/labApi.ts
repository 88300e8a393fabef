/**
 * `window.lab` built from the contract: one function per method and one subscription per event.
 * The page never sees ipcRenderer or Electron's event objects.
 */
import {
  EVENT_CHANNELS,
  LAB_METHODS,
  channelOf,
  type LabApi,
  type Unsubscribe,
} from '../shared/contract'

export interface IpcRendererLike {
  invoke(channel: string, payload: unknown): Promise<unknown>
  on(channel: string, listener: (event: unknown, payload: unknown) => void): void
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): void
}

export function buildLabApi(ipc: IpcRendererLike): LabApi {
  const api: Record<string, unknown> = {}
  for (const method of LAB_METHODS) {
    api[method] = (request: unknown) => ipc.invoke(channelOf(method), request ?? {})
  }
  /** A subscription that hands the listener only the payload, never Electron's event. */
  const subscribe =
    (channel: string) =>
    (listener: (payload: never) => void): Unsubscribe => {
      const wrapped = (_event: unknown, payload: unknown) => listener(payload as never)
      ipc.on(channel, wrapped)
      return () => ipc.removeListener(channel, wrapped)
    }
  api.onRunProgress = subscribe(EVENT_CHANNELS.runProgress)
  api.onMenuCommand = subscribe(EVENT_CHANNELS.menuCommand)
  return Object.freeze(api) as unknown as LabApi
}
