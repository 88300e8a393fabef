/**
 * The renderer's only way to the engines and to files. It wraps `window.lab` (preload or host
 * bridge); stores use the client, and tests hand the stores a fake with `setLabClient`.
 */
import { LAB_METHODS, fail, type LabApi } from '../../../shared/contract'

export type LabClient = LabApi

const MISSING =
  'The lab bridge is missing: open the lab with `npm start`, or `npm run preview:web` for the browser preview.'

export function missingBridgeClient(): LabClient {
  const client: Record<string, unknown> = {}
  for (const method of LAB_METHODS) client[method] = async () => fail('internal', MISSING)
  client.onRunProgress = () => () => undefined
  client.onMenuCommand = () => () => undefined
  return client as LabClient
}

export function bridgeClient(bridge: LabApi | undefined = window.lab): LabClient {
  if (!bridge) return missingBridgeClient()
  // Guard every call: a carrier that throws (a broken connection) still answers with data.
  const client: Record<string, unknown> = {}
  for (const method of LAB_METHODS) {
    const fn = bridge[method] as (request: unknown) => Promise<unknown>
    client[method] = async (request: unknown) => {
      try {
        return await fn(request)
      } catch (err) {
        return fail('internal', `the lab did not answer: ${(err as Error).message}`)
      }
    }
  }
  client.onRunProgress = bridge.onRunProgress
  client.onMenuCommand = bridge.onMenuCommand
  return client as LabClient
}

let current: LabClient | undefined

export function setLabClient(client: LabClient): void {
  current = client
}

export function useLabClient(): LabClient {
  current ??= bridgeClient()
  return current
}
