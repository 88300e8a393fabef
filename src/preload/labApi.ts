/**
 * `window.lab` built from the contract: one function per method and one subscription per event.
 * The page never sees ipcRenderer or Electron's event objects.
 */
import {
  EVENT_CHANNELS,
  LAB_METHODS,
  channelOf,
  type LabApi,
  type RunProgress,
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
  api.onRunProgress = (listener: (p: RunProgress) => void) => {
    const wrapped = (_event: unknown, payload: unknown) => listener(payload as RunProgress)
    ipc.on(EVENT_CHANNELS.runProgress, wrapped)
    return () => ipc.removeListener(EVENT_CHANNELS.runProgress, wrapped)
  }
  return Object.freeze(api) as unknown as LabApi
}
