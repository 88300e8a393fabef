/** The benchmark cases: each builds a normalised scenario for `runScenario`. */
import { parseScenario, problemLine, type Scenario } from '../src/shared/scenario'

export interface BenchCase {
  name: string
  description: string
  build: () => Scenario
}

function scenario(doc: unknown): Scenario {
  const r = parseScenario(doc)
  if (!r.ok) throw new Error(r.problems.map(problemLine).join('\n'))
  return r.scenario
}

export const CASES: BenchCase[] = [
  {
    name: 'book3s-large',
    description: '256 POWER8 cores, 2048 vcpus (256 vcores of 8), seeded random workload, aligned',
    build: () =>
      scenario({
        schemaVersion: 1,
        name: 'book3s-large',
        engine: 'book3s',
        seed: 7,
        host: { processor: 'POWER8', cores: 256 },
        kvm: { design: 'aligned' },
        guest: { vcpus: 2048 },
        workload: {
          steps: Array.from({ length: 2048 }, (_, vcpu) => ({ at: 0, vcpu, do: 'run' })),
          random: {
            until: 40_000,
            rates: { run: 2, cede: 4, wake: 4, exit: 0.5, msgsndp: 6, 'read-tir': 1 },
          },
          until: 40_000,
        },
      }),
  },
]
