/// <reference types="vite/client" />
import type { LabApi } from '../../shared/contract'

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

declare global {
  interface Window {
    /** Defined by the preload (Electron) or by the browser preview's bridge (src/preview). */
    lab?: LabApi
  }
}
