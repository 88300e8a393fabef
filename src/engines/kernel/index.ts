export { EventQueue } from './eventQueue'
export { Prng } from './prng'
export {
  Simulation,
  RunBoundError,
  RunCancelledError,
  type RunBounds,
  type RunHooks,
} from './simulation'
export { objectArray } from './objectArray'
export { ChunkedList } from './chunkedList'
export {
  MAX_RECORDED,
  RecordBudget,
  RecordLimitError,
  checkRequested,
  countRecorded,
  type RequestedWork,
} from './recordBudget'
