/** The sandboxed preload: exposes `window.lab` and nothing else. Bundled as CommonJS. */
import { contextBridge, ipcRenderer } from 'electron'
import { buildLabApi } from './labApi'

contextBridge.exposeInMainWorld('lab', buildLabApi(ipcRenderer))
