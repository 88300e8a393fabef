/// <reference types="vite/client" />
import type { LabApi } from '../../shared/contract'

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

declare global {
  interface Window {
    /** Defined by the preload (Electron) or by the host's bridge script (browser preview). */
    lab?: LabApi
  }
}
