/** The benchmark cases: each builds a normalised scenario for `runScenario`. */
import type { Scenario } from '../src/shared/scenario'

export interface BenchCase {
  name: string
  description: string
  build: () => Scenario
}

export const CASES: BenchCase[] = []
