/**
 * `xl vcpu-list DOMAIN` for a Xen run, laid out as xl prints it (tools/xl/xl_vcpu.c, vcpulist
 * and print_vcpuinfo): a header `%-32s %5s %5s %5s %5s %9s %s` (Name, ID, VCPU, CPU, State,
 * Time(s), Affinity (Hard / Soft)), then one line per vCPU of the domain, offline ones included:
 * an offline vCPU has CPU `-` and State `--p`; an online one its host CPU and State `r` (running)
 * or `-`, then `b` (blocked) or `-`, then `-`; Time(s) `%9.1f`, then the hard and soft affinity.
 *
 * The model has a domain's vCPUs and whether each is up in Xen at the end of the run
 * (layout.vcpus, `_VPF_down`), and which Linux CPU runs on each (details.cpus). It has no domain
 * ID, no host CPUs, no run time and no affinity, and whether an online vCPU is running or blocked
 * belongs to the host scheduler it does not run: those columns say so (`-`, `?`) with a note.
 */
import type { XenRunResult } from '../result'
import { padEnd, padStart, type TextView } from './textView'

export interface XlVcpuListOptions {
  /** List offline vCPUs (State `--p`) as xl does; false keeps the online ones only. */
  offline?: boolean
}

export function xlVcpuList(r: XenRunResult, opts: XlVcpuListOptions = {}): TextView {
  const offline = opts.offline ?? true
  const name = r.scenario.name
  const lines = [
    `${padEnd('Name', 32)} ${padStart('ID', 5)} ${padStart('VCPU', 5)} ${padStart('CPU', 5)} ${padStart('State', 5)} ${padStart('Time(s)', 9)} Affinity (Hard / Soft)`,
  ]
  const vcpus = r.layout.vcpus.filter((v) => offline || v.up)
  for (const v of vcpus) {
    // print_vcpuinfo: "%5c %3c%cp " offline, "%5u %3c%c- " online; we have no CPU, r or b.
    const cpuState = v.up
      ? `${padStart('-', 5)} ${padStart('?', 3)}?- `
      : `${padStart('-', 5)} ${padStart('-', 3)}-p `
    lines.push(
      `${padEnd(name, 32)} ${padStart('-', 5)} ${padStart(v.vcpu, 5)}${cpuState}${padStart('-', 9)}  - / -`,
    )
  }
  const hidden = r.layout.vcpus.length - vcpus.length
  const notes = [
    `Name: the scenario's name stands for the domain's.`,
    'ID, CPU, Time(s), Affinity: "-": the model has no domain ID and runs no host scheduler, so a vCPU has no host CPU, run time or affinity.',
    'State: "--p" is a vCPU down in Xen at the end of the run (offline), as xl shows it; for an online vCPU "??-": running (r) and blocked (b) depend on the host scheduler and the guest\'s idle loop, which the model does not run.',
  ]
  if (hidden > 0)
    notes.push(
      `${hidden} offline vCPU${hidden === 1 ? '' : 's'} not listed (xl lists them; show offline vCPUs to see them).`,
    )
  const onVcpu = new Map(r.details.cpus.filter((c) => c.vcpu !== null).map((c) => [c.vcpu!, c]))
  const where = vcpus.map((v) => {
    const c = onVcpu.get(v.vcpu)
    return c
      ? `vCPU ${v.vcpu}: Linux CPU ${c.cpu}, ${c.state}${c.reason ? ` (${c.reason})` : ''}`
      : `vCPU ${v.vcpu}: no Linux CPU ran on it`
  })
  notes.push(
    'The lab beside it, from details.cpus (the Linux CPU each vCPU ran):',
    ...where.map((w) => `  ${w}`),
  )
  const arg = /^[\w.-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`
  return { command: `xl vcpu-list ${arg}`, lines, notes }
}
