/// <reference types="electron-vite/node" />
// Types for electron-vite's import suffixes (`?modulePath` gives the bundled path of a module).
