/**
 * The renderer's only way to the engines and to files. It wraps `window.lab` (preload or host
 * bridge); stores use the client, and tests hand the stores a fake with `setLabClient`. A run's
 * result arrives as its packed frame (bytes: src/shared/packed) and is unpacked here into the
 * `RunResult` the stores and views read.
 */
import {
  LAB_METHODS,
  fail,
  ok,
  type LabApi,
  type LabClientApi,
  type Outcome,
  type RunFrame,
} from '../../../shared/contract'
import { readFrame } from '../../../shared/packed/frame'
import { unpackRun } from '../../../shared/packed/packedRun'
import type { RunResult } from '../../../shared/result'

export type LabClient = LabClientApi

/** A run's frame as the result it holds; bytes that are not a whole frame are an internal error. */
export function runFromFrame(frame: RunFrame): Outcome<RunResult> {
  try {
    const t0 = performance.now()
    const packed = readFrame(frame, (bytes) => new TextDecoder().decode(bytes))
    const t1 = performance.now()
    const result = unpackRun(packed)
    // For the end-to-end figures (test/e2e/largeRunPerf.test.ts): what reading costs the page.
    performance.measure('lab: frame read', { start: t0, end: t1 })
    performance.measure('lab: run unpacked', { start: t1 })
    return ok(result)
  } catch (err) {
    return fail('internal', `the run's result did not arrive whole: ${(err as Error).message}`)
  }
}

const MISSING =
  'The lab bridge is missing: open the lab with `npm start`, or `npm run preview:web` for the browser preview.'

export function missingBridgeClient(): LabClient {
  const client: Record<string, unknown> = {}
  for (const method of LAB_METHODS) client[method] = async () => fail('internal', MISSING)
  client.onRunProgress = () => () => undefined
  client.onMenuCommand = () => () => undefined
  return client as unknown as LabClient
}

export function bridgeClient(bridge: LabApi | undefined = window.lab): LabClient {
  if (!bridge) return missingBridgeClient()
  // Guard every call: a carrier that throws (a broken connection) still answers with data.
  const client: Record<string, unknown> = {}
  for (const method of LAB_METHODS) {
    const fn = bridge[method] as (request: unknown) => Promise<unknown>
    client[method] = async (request: unknown) => {
      try {
        const out = await fn(request)
        if (method !== 'run') return out
        const run = out as Outcome<RunFrame>
        return run.ok ? runFromFrame(run.value) : run
      } catch (err) {
        return fail('internal', `the lab did not answer: ${(err as Error).message}`)
      }
    }
  }
  client.onRunProgress = bridge.onRunProgress
  client.onMenuCommand = bridge.onMenuCommand
  return client as unknown as LabClient
}

let current: LabClient | undefined

export function setLabClient(client: LabClient): void {
  current = client
}

export function useLabClient(): LabClient {
  current ??= bridgeClient()
  return current
}
