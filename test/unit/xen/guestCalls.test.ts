/**
 * The Linux side of TV18: bind_virq_to_irq on -EEXIST calls find_virq, which (v4.8.15) compares
 * EVTCHNOP_status's vcpu with the Linux cpu number, not the mapped id (derived).
 */
import { describe, expect, it } from 'vitest'
import { Guest } from '../../../src/engines/xen/guest'
import { bindVirq } from '../../../src/engines/xen/guestCalls'
import { xenScenario } from './support'

function guest(): Guest {
  const s = xenScenario({ type: 'pvhvm', maxVcpus: 4, design: 'vcpu-id-mapping' })
  const g = new Guest({ s, minor: 7, kind: 'hvm', tree: 'v4.8.15', bootVcpu: 0 }, 0)
  for (let k = 0; k < 4; k++) g.addCpu(k, { startsOn: k })
  g.place(0, 0)
  return g
}

describe('bind_virq_to_irq and find_virq (TV18, Linux side)', () => {
  it('a second VIRQ_TIMER on the same vCPU gets -EEXIST; find_virq looks for vCPU == the Linux cpu and BUG_ONs when there is none', () => {
    const g = guest()
    const c1 = g.cpus[1]!
    const c3 = g.cpus[3]!
    c1.id = 2
    c3.id = 2
    expect(bindVirq(g, 0, 'boot', 1, 'VIRQ_TIMER', 'xen_setup_timer')).toBeNull()
    const f = bindVirq(g, 0, 'boot', 3, 'VIRQ_TIMER', 'xen_setup_timer')
    const calls = g.rec.events.filter((e) => e.kind === 'hypercall')
    expect(calls.map((e) => [e.op, e.vcpu, e.rc])).toEqual([
      ['EVTCHNOP_bind_virq', 2, 0],
      ['EVTCHNOP_bind_virq', 2, -17],
      ['EVTCHNOP_status', null, -2],
    ])
    expect(f).toMatchObject({
      bug: true,
      reason: 'BUG_ON in bind_virq_to_irq (VIRQ_TIMER -EEXIST, find_virq found no port on vCPU 3)',
    })
  })

  it("find_virq takes vCPU 3's timer port when one exists, though cpu 3's id names vCPU 2", () => {
    const g = guest()
    g.cpus[1]!.id = 2
    g.cpus[2]!.id = 3
    g.cpus[3]!.id = 2
    bindVirq(g, 0, 'boot', 1, 'VIRQ_TIMER', 'xen_setup_timer')
    bindVirq(g, 0, 'boot', 2, 'VIRQ_TIMER', 'xen_setup_timer')
    const threePort = g.portOf(2, 'VIRQ_TIMER')
    expect(bindVirq(g, 0, 'boot', 3, 'VIRQ_TIMER', 'xen_setup_timer')).toBeNull()
    expect(g.portOf(3, 'VIRQ_TIMER')).toBe(threePort)
    expect(g.hv.port(threePort)?.vcpu).toBe(3)
  })
})
