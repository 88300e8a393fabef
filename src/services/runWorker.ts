/**
 * The engine worker (worker_threads): runs scenario documents off the carrier's main thread, so
 * the Electron main process and the browser-preview host keep answering (`cancelRun` included)
 * while an engine works. Bundled for Electron through electron-vite's `?modulePath` import; loaded
 * from source through `tsWorkerBoot.mjs` by the host and the tests.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { RUN_WORKER_MARK } from './runProtocol'
import { serveRuns } from './serveRuns'

if (parentPort && (workerData as Record<string, unknown> | null)?.[RUN_WORKER_MARK] === true) {
  serveRuns(parentPort)
}
