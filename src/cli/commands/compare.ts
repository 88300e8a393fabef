/** `lab compare`: one scenario under two designs, the metrics and checks that differ. */
import type { Command } from 'commander'
import { writeFileAtomic } from '../../services/atomicWrite'
import { compareRuns, type RunComparison } from '../../shared/lab/compare'
import { EXIT_INVALID, ExitError, collect, round, runFile, show, type CliIo } from './common'

export function registerCompare(program: Command, io: CliIo): void {
  program
    .command('compare')
    .description('run a scenario under two designs and print the metrics and checks that differ')
    .argument('<scenario>', 'scenario file (.json)')
    .option('--design <name>', 'a design to compare (give it twice)', collect, [])
    .option('--json', 'print the comparison as JSON')
    .option('--out <file>', 'write the comparison as JSON to this file (atomically)')
    .action(async (file: string, opts: { design: string[]; json?: boolean; out?: string }) => {
      if (opts.design.length !== 2) {
        throw new ExitError(
          EXIT_INVALID,
          `compare: give --design twice (got ${opts.design.length})`,
        )
      }
      const [a, b] = [
        await runFile(file, opts.design[0], io),
        await runFile(file, opts.design[1], io),
      ]
      const cmp = compareRuns(a, b)
      const doc = { scenario: a.scenario.name, engine: a.engine, ...cmp }
      if (opts.out) await writeFileAtomic(opts.out, JSON.stringify(doc, null, 2) + '\n')
      if (opts.json) io.stdout(JSON.stringify(doc, null, 2) + '\n')
      else if (!opts.out) io.stdout(formatComparison(a.scenario.name, cmp))
    })
}

/** The comparison as text: metrics that differ, then checks that differ. */
function formatComparison(name: string, c: RunComparison): string {
  const [a, b] = c.designs
  const [ka, kb] = c.runsOn
  const lines = [
    `${name}: ${a} (${ka}) vs ${b} (${kb})`,
    '',
    ...metricLines(c),
    '',
    ...checkLines(c),
  ]
  return lines.join('\n') + '\n'
}

function metricLines(c: RunComparison): string[] {
  const [a, b] = c.designs
  const changed = c.metrics.filter((m) => m.a !== m.b)
  if (changed.length === 0) return ['Every metric is the same.']
  const lines = ['Metrics that differ:']
  const w = Math.max(...changed.map((m) => m.label.length))
  for (const m of changed) {
    const d = m.delta === null ? '' : `  (${m.delta > 0 ? '+' : ''}${round(m.delta)})`
    lines.push(`  ${m.label.padEnd(w)}  ${a}: ${show(m.a)}  ${b}: ${show(m.b)} ${m.unit}${d}`)
  }
  lines.push(`${c.metrics.length - changed.length} other metrics are the same.`)
  return lines
}

function checkLines(c: RunComparison): string[] {
  const [a, b] = c.designs
  if (c.checks.length === 0)
    return [`Every check (${c.sameChecks}) says the same under both designs.`]
  const lines = ['Checks that differ:']
  const mark = (x: { ok: boolean } | null) => (x === null ? 'absent' : x.ok ? 'holds' : 'FAILS')
  for (const d of c.checks) {
    if (d.change === 'message' && d.a && d.b) {
      lines.push(`  ${d.id}: ${mark(d.a)} under both; what it found differs`)
      lines.push(`    ${a}: ${d.a.message}`, `    ${b}: ${d.b.message}`)
      continue
    }
    lines.push(`  ${d.id}: ${a} ${mark(d.a)}, ${b} ${mark(d.b)}`)
    if (d.a && !d.a.ok) lines.push(`    ${a}: ${d.a.message}`)
    if (d.b && !d.b.ok) lines.push(`    ${b}: ${d.b.message}`)
  }
  lines.push(`${c.sameChecks} other checks say the same.`)
  return lines
}
