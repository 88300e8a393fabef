/**
 * The renderer's only way to the engines. It wraps `window.lab` (preload or host bridge); stores
 * use the client, and tests hand the stores a fake with `setLabClient`.
 */
import { fail, type LabApi } from '../../../shared/contract'

export type LabClient = LabApi

const MISSING =
  'The lab bridge is missing: open the lab with `npm start`, or `npm run preview:web` for the browser preview.'

export function missingBridgeClient(): LabClient {
  const no = async () => fail('internal', MISSING)
  return {
    run: no,
    cancelRun: no,
    validate: no,
    listPresets: no,
    readPreset: no,
    appInfo: no,
    onRunProgress: () => () => undefined,
  }
}

export function bridgeClient(bridge: LabApi | undefined = window.lab): LabClient {
  if (!bridge) return missingBridgeClient()
  // Guard every call: a carrier that throws (a broken connection) still answers with data.
  const guard =
    <A, R>(fn: (a: A) => Promise<R>) =>
    async (a: A): Promise<R> => {
      try {
        return await fn(a)
      } catch (err) {
        return fail('internal', `the lab did not answer: ${(err as Error).message}`) as R
      }
    }
  return {
    run: guard(bridge.run),
    cancelRun: guard(bridge.cancelRun),
    validate: guard(bridge.validate),
    listPresets: guard(bridge.listPresets),
    readPreset: guard(bridge.readPreset),
    appInfo: guard(bridge.appInfo),
    onRunProgress: (l) => bridge.onRunProgress(l),
  }
}

let current: LabClient | undefined

export function setLabClient(client: LabClient): void {
  current = client
}

export function useLabClient(): LabClient {
  current ??= bridgeClient()
  return current
}
