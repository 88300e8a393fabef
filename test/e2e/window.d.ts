import type { LabApi } from '../../src/shared/contract'

declare global {
  interface Window {
    /** Defined by the preload (Electron) or the browser preview's bridge (src/preview). */
    lab?: LabApi
  }
}
