// Loads the engine worker from its TypeScript source (browser-preview host and tests). Node 20
// does not apply tsx's loader inside a worker, so register it here, then import the entry that
// the spawner put in workerData (src/services/runRunner.ts, sourceWorkerSpawner).
import { register } from 'tsx/esm/api'
import { workerData } from 'node:worker_threads'

register()
await import(workerData.entry)
