/**
 * What the views say about each kind of event the xen engine records (docs/result.md): one record
 * per kind of `XenEvent`. Tracks are Xen vCPUs (`vcpuN`); a Linux CPU is drawn on the vCPU it ran
 * on, else the one it would start on, else on `no-vcpu`, the track of CPUs with none (place.ts).
 */
import type { XenEvent } from '../result'
import { numbersOf, vcpuArg, type KindTable } from './kindSpec'

const CPU_TRACK = 'the vCPU the CPU ran on (or would start on), else `no-vcpu`'

export const XEN_KINDS: KindTable<XenEvent> = {
  hypercall: {
    // Only a negative return is an error: VCPUOP_is_up answers 1 for a vCPU that is up
    // (xen/common/domain.c:do_vcpu_op, `rc = !(v->pause_flags & VPF_down)`).
    status: (e) => (e.rc < 0 ? 'bad' : 'ok'),
    title: (e) =>
      `${e.op}(${e.vcpu === null ? '' : `vcpu ${vcpuArg(e.vcpu)}`}${e.what === null ? '' : `, ${e.what}`})` +
      (e.forCpu !== e.cpu ? ` for cpu ${e.forCpu}` : ''),
    result: (e) => (e.rc === 0 ? '0' : `${e.rc}${e.errno === null ? '' : ` (-${e.errno})`}`),
    numbers: (e) => numbersOf(e.cpu, e.vcpu, e.onVcpu, e.forCpu),
    tracks: { on: 'the vCPU it executed on', to: 'the vCPU it names, when that is another' },
  },
  'vcpu-id': {
    status: () => 'neutral',
    title: (e) => `cpu ${e.cpu}: xen_vcpu_id = ${vcpuArg(e.vcpu)}`,
    result: (e) => `from ${e.via}`,
    numbers: (e) => [e.cpu, e.vcpu],
    tracks: { on: CPU_TRACK, to: null },
  },
  'ap-start': {
    status: () => 'neutral',
    title: (e) => `cpu ${e.from} starts cpu ${e.to} (${e.method})`,
    result: (e) => `on vCPU ${e.vcpu}${e.apicId === null ? '' : `, APIC ${e.apicId}`}`,
    numbers: (e) => [e.vcpu, e.from, e.to],
    tracks: { on: 'the vCPU of the CPU that starts it', to: 'the vCPU that starts running' },
  },
  'cpu-state': {
    status: (e) => (e.state === 'failed' ? 'bad' : e.state === 'online' ? 'ok' : 'neutral'),
    title: (e) => `cpu ${e.cpu} ${e.state}`,
    result: (e) => e.reason ?? '',
    numbers: (e) => [e.cpu],
    tracks: { on: CPU_TRACK, to: null },
  },
  ipi: {
    status: (e) =>
      e.outcome === 'delivered' ? 'ok' : e.outcome === 'not-sent' ? 'neutral' : 'bad',
    title: (e) => `${e.vector} IPI cpu ${e.from} → cpu ${e.to}`,
    result: (e) => {
      const cause = e.cause === null ? '' : `: ${e.cause}`
      const got = e.deliveredToCpu
      if (e.outcome === 'not-sent') return `not sent${cause}`
      if (got === null) return `never seen (bound to vCPU ${vcpuArg(e.boundVcpu)})${cause}`
      return got === e.to
        ? `delivered to cpu ${got}`
        : `delivered to cpu ${got}, not ${e.to}${cause}`
    },
    numbers: (e) => numbersOf(e.from, e.to, e.deliveredToCpu, e.boundVcpu),
    tracks: { on: 'the vCPU of the sending CPU', to: 'the vCPU its port is bound to' },
  },
  'call-function': {
    status: (e) => {
      const n = e.targets.length
      return !e.hung && e.started === n && (!e.wait || e.finished === n) ? 'ok' : 'bad'
    },
    title: (e) => `smp_call_function (${e.func}) from cpu ${e.from} to ${e.targets.length} CPU(s)`,
    result: (e) => {
      const n = e.targets.length
      return (
        `started ${e.started}/${n}, finished ${e.finished}/${n}` +
        (e.hung ? ': the caller hangs' : '')
      )
    },
    numbers: (e) => [e.from, ...e.targets],
    tracks: { on: 'the vCPU of the calling CPU', to: 'the vCPUs of its targets' },
  },
  'lazy-tlb-drop': {
    status: () => 'neutral',
    title: (e) => `cpu ${e.cpu} drops its lazy mm`,
    result: () => '',
    numbers: (e) => [e.cpu],
    tracks: { on: CPU_TRACK, to: null },
  },
  bug: {
    status: () => 'bad',
    title: (e) => `cpu ${e.cpu}: ${e.where}`,
    result: (e) => (e.panic ? 'the guest panics' : 'WARN'),
    numbers: (e) => [e.cpu],
    tracks: { on: CPU_TRACK, to: null },
  },
  'soft-reset': {
    status: (e) => (e.supported ? 'neutral' : 'bad'),
    title: (e) => `soft reset for a crash kernel on vCPU ${e.crashedVcpu}`,
    result: (e) =>
      e.supported ? `vCPUs left down: ${e.downVcpus.join(', ')}` : 'not supported by this Xen',
    numbers: (e) => [e.crashedVcpu],
    tracks: { on: 'the crashed vCPU', to: null },
  },
  printk: {
    status: (e) => (e.level === 'warning' ? 'bad' : 'neutral'),
    title: (e) => `cpu ${e.cpu} prints (${e.level})`,
    result: (e) => e.text,
    numbers: (e) => [e.cpu],
    tracks: { on: 'the vCPU of the printing CPU', to: null },
  },
  step: {
    status: (e) => (e.outcome === 'ran' ? 'ok' : e.outcome === 'refused' ? 'bad' : 'neutral'),
    title: (e) => `step ${e.step}: ${e.do} on cpu ${e.cpu}`,
    result: (e) => `${e.outcome}${e.reason === null ? '' : `: ${e.reason}`}`,
    numbers: (e) => [e.cpu],
    tracks: { on: 'the vCPU of the CPU the step names', to: null },
  },
}
