import type { LabApi } from '../../src/shared/contract'

declare global {
  interface Window {
    /** Defined by the preload (Electron) or the host's bridge script (browser preview). */
    lab?: LabApi
  }
}
