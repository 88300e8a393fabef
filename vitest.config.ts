import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'
import { layerGuard } from './scripts/layerGuard.ts'

export default defineConfig({
  plugins: [layerGuard()],
  test: {
    projects: [
      {
        plugins: [layerGuard()],
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        plugins: [vue(), layerGuard()],
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: ['test/dom/**/*.test.ts'],
        },
      },
      {
        plugins: [layerGuard()],
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
