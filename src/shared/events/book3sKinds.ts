/**
 * What the views say about each kind of event the book3s engine records (docs/result.md): one
 * record per kind of `Book3sEvent`. Tracks are hardware threads (`cpuN`), vcores (`vcoreN`) and,
 * for steps naming a vcpu KVM refused, `refused-vcpus`.
 */
import type { Book3sEvent } from '../result'
import { numbersOf, type KindTable } from './kindSpec'

const hex = (n: number) => `0x${n.toString(16)}`

export const BOOK3S_KINDS: KindTable<Book3sEvent> = {
  'thread-ipi': {
    status: () => 'neutral',
    title: (e) =>
      e.why === 'split-nap'
        ? `vcore ${e.vcore}'s runner sends the split core's idle threads to nap`
        : `vcore ${e.vcore}'s runner wakes ${e.threads.length === 1 ? 'thread' : 'threads'} ${e.threads.join(', ')} (kvmppc_ipi_thread)`,
    result: (e) =>
      e.method === 'msgsnd' && e.rb
        ? `msgsnd RB ${e.rb.map(hex).join(', ')}`
        : 'XICS IPI (xics_wake_cpu)',
    numbers: (e) => [...e.threads, ...e.cpus],
    tracks: { on: 'thread 0 of the (sub)core, the runner', to: 'the threads it wakes' },
  },
  coschedule: {
    status: () => 'neutral',
    title: (e) =>
      `vcore ${e.vcore} runs with vcores ${e.subcores
        .flatMap((s) => s.vcores)
        .filter((v) => v !== e.vcore)
        .join(', ')} on core ${e.core}`,
    result: (e) =>
      (e.split > 1 ? `core split ${e.split} ways: ` : 'piggybacked: ') +
      e.subcores
        .map((s) => `subcore ${s.subcore} from thread ${s.thread}: ${s.vcores.join(', ')}`)
        .join('; ') +
      (e.left.length > 0 ? `; left on the list: ${e.left.join(', ')}` : ''),
    numbers: (e) => [e.pcpu],
    tracks: { on: 'the runner’s vcore', to: 'the vcores it takes along' },
  },
  'kvm-run-ebusy': {
    status: () => 'bad',
    title: (e) =>
      `vcore ${e.vcore}'s runner (vcpu ${e.runner}) is on cpu ${e.hostCpu}, thread ${e.threadInSubcore} of its (sub)core`,
    result: (e) => `KVM_RUN fails with -EBUSY for vcpus ${e.vcpus.join(', ')}`,
    numbers: (e) => [e.runner, e.hostCpu, ...e.vcpus],
    tracks: { on: 'the vcore', to: 'the host CPU the runner was on' },
  },
  doorbell: {
    status: (e) => (e.outcome === 'delivered' ? 'ok' : e.outcome === 'ignored' ? 'neutral' : 'bad'),
    title: (e) => `msgsndp from vcpu ${e.from}, tag ${e.tag}`,
    result: (e) => {
      const meant = e.intended === null ? '' : ` (meant for vcpu ${e.intended})`
      switch (e.outcome) {
        case 'delivered':
          return `delivered to vcpu ${e.deliveredTo}`
        case 'misdelivered':
          return `misdelivered to vcpu ${e.deliveredTo}${meant}`
        case 'lost':
          return `lost on thread ${e.thread ?? '?'}${meant}`
        default:
          return e.outcome
      }
    },
    numbers: (e) => numbersOf(e.cpu, e.from, e.intended, e.deliveredTo, e.thread),
    tracks: { on: 'the thread of the sending vcpu', to: 'the thread the doorbell reached' },
  },
  latecomer: {
    status: () => 'neutral',
    title: (e) => `vcpu ${e.vcpu} joins running vcore ${e.vcore}`,
    result: (e) => `on thread ${e.thread}`,
    numbers: (e) => [e.vcpu, e.thread],
    tracks: { on: 'thread 0 of the (sub)core running the vcore', to: 'the thread the vcpu joins' },
  },
  'tir-read': {
    status: (e) => (e.ok ? 'ok' : 'bad'),
    title: (e) => `vcpu ${e.vcpu} reads its thread number (TIR)`,
    result: (e) =>
      e.value === null
        ? `the model does not say (guest expects ${e.expected})`
        : e.ok
          ? String(e.value)
          : `${e.value}, but the guest expects ${e.expected}`,
    numbers: (e) => [e.vcpu],
    tracks: { on: 'the thread of the vcpu', to: null },
  },
  msgclrp: {
    status: () => 'neutral',
    title: (e) => `vcpu ${e.vcpu} clears its doorbell (msgclrp)`,
    result: (e) =>
      e.ignored ? 'ignored' : e.cleared ? 'a pending doorbell cleared' : 'nothing pending',
    numbers: (e) => [e.vcpu],
    tracks: { on: 'the thread of the vcpu', to: null },
  },
  cede: {
    status: () => 'neutral',
    title: (e) => `vcpu ${e.vcpu} cedes (H_CEDE) on thread ${e.thread}`,
    result: (e) =>
      e.outcome === 'exit-to-host'
        ? 'last to cede: takes the vcore out'
        : e.outcome === 'cancelled-by-prod'
          ? 'cancelled by an earlier prod'
          : 'naps',
    numbers: (e) => [e.vcpu, e.thread],
    tracks: { on: 'the thread of the vcpu', to: null },
  },
  'exit-sync': {
    status: () => 'neutral',
    title: (e) => `thread ${e.thread} exits first (${e.trap}): vcore ${e.vcore} leaves the guest`,
    result: (e) =>
      e.method === undefined
        ? `HDEC to ${e.hdec.length} thread(s), IPI to ${e.ipi.length} napping`
        : `${e.method === 'msgsnd' ? 'msgsnd' : 'XICS IPI'} to ${e.ipi.length} entered thread(s)` +
          (e.exitReq ? `; VCORE_EXIT_REQ to vcores ${e.exitReq.join(', ')}` : ''),
    numbers: (e) => [e.thread],
    tracks: {
      on: 'the thread that exits first',
      to: 'the threads it sends HDEC and the napping threads it IPIs',
    },
  },
  'secondary-too-late': {
    status: () => 'bad',
    title: (e) => `thread ${e.thread} arrives after the first exit (secondary_too_late)`,
    result: (e) => (e.vcpu === null ? 'never entered' : `vcpu ${e.vcpu} never entered`),
    numbers: (e) => numbersOf(e.vcpu, e.thread),
    tracks: { on: 'the late thread', to: null },
  },
  'step-skipped': {
    status: () => 'neutral',
    title: (e) => `step “${e.do}” of vcpu ${e.vcpu} skipped`,
    result: (e) => e.reason,
    numbers: (e) => [e.vcpu],
    tracks: {
      on: 'the thread the vcpu is on or last ran on; its vcore before it has run; `refused-vcpus` for a vcpu KVM refused',
      to: null,
    },
  },
  'step-delayed': {
    status: () => 'neutral',
    title: (e) => `step “${e.do}” of vcpu ${e.vcpu} delayed`,
    result: (e) => `ran ${e.delay} ticks late: ${e.reason}`,
    numbers: (e) => [e.vcpu],
    tracks: { on: 'the thread the vcpu re-enters the guest on', to: null },
  },
  'vcore-wait': {
    status: () => 'neutral',
    title: (e) => `vcore ${e.vcore} waits for a free (sub)core`,
    result: (e) =>
      `runner vcpu ${e.runner === null ? '—' : e.runner}; next host tick at ${e.nextHostTick}, slice ${e.sliceTicks} ticks`,
    numbers: () => [],
    tracks: { on: 'the vcore', to: null },
  },
  'vcore-preempted': {
    status: () => 'neutral',
    title: (e) =>
      `vcore ${e.vcore} preempted on core ${e.core}${e.subcore ? ` subcore ${e.subcore}` : ''}`,
    result: (e) =>
      `after ${e.heldFor} ticks; vcore ${e.by} runs next` +
      (e.listed === undefined ? '' : e.listed ? '; on the CPU’s preempted list' : ''),
    numbers: () => [],
    tracks: { on: 'the vcore', to: 'the vcore whose runner gets the (sub)core' },
  },
}
