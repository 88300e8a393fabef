/**
 * The model Xen answers each vCPU-naming hypercall with Xen's return code, per version
 * (`do_vcpu_op` in xen/common/domain.c, xen/common/event_channel.c, event_fifo.c; TVn names a
 * test vector: one stated case with its expected answer).
 */
import { describe, expect, it } from 'vitest'
import { EBUSY, EEXIST, EINVAL, ENOENT, ENOSYS, errnoName } from '../../../src/engines/xen/errno'
import { XenHypervisor, type GuestKind } from '../../../src/engines/xen/hypervisor'
import { U32_MAX } from './support'

function xen(kind: GuestKind, maxVcpus: number, minor = 7, up: number[] = [0]) {
  return new XenHypervisor({ minor, kind, maxVcpus, upAtStart: up })
}

describe('do_vcpu_op', () => {
  it('checks the range first: a vCPU id >= max_vcpus, or -1 read as 4294967295, is -ENOENT', () => {
    const x = xen('pv', 4)
    expect(x.vcpuOp('VCPUOP_is_up', 0, 4)).toBe(ENOENT)
    expect(x.vcpuOp('VCPUOP_register_vcpu_info', 0, U32_MAX)).toBe(ENOENT)
    expect(x.vcpuOp('VCPUOP_set_singleshot_timer', 0, U32_MAX)).toBe(ENOENT)
    expect(errnoName(ENOENT)).toBe('ENOENT')
  })

  it('TV13: VCPUOP_up without a context is -EINVAL; a second VCPUOP_initialise is -EEXIST', () => {
    const x = xen('pv', 4)
    expect(x.vcpuOp('VCPUOP_up', 0, 1)).toBe(EINVAL)
    expect(x.vcpuOp('VCPUOP_initialise', 0, 1)).toBe(0)
    expect(x.vcpuOp('VCPUOP_initialise', 0, 1)).toBe(EEXIST)
    expect(x.vcpuOp('VCPUOP_up', 0, 1)).toBe(0)
    // VCPUOP_up returns 0 even when the vCPU is already up
    expect(x.vcpuOp('VCPUOP_up', 0, 1)).toBe(0)
    expect(x.vcpuOp('VCPUOP_is_up', 0, 1)).toBe(1)
  })

  it('TV14: VCPUOP_initialise for vCPU 40 before its vcpu_info is registered is -EINVAL (4.7 any guest; 4.19+ PV only)', () => {
    expect(xen('pv', 64).vcpuOp('VCPUOP_initialise', 0, 40)).toBe(EINVAL)
    expect(xen('hvm', 64).vcpuOp('VCPUOP_initialise', 0, 40)).toBe(EINVAL)
    expect(xen('hvm', 64, 19).vcpuOp('VCPUOP_initialise', 0, 40)).toBe(0)
    expect(xen('pv', 64, 19).vcpuOp('VCPUOP_initialise', 0, 40)).toBe(EINVAL)
    const x = xen('pv', 64)
    expect(x.vcpuOp('VCPUOP_register_vcpu_info', 0, 40)).toBe(0)
    expect(x.vcpuOp('VCPUOP_initialise', 0, 40)).toBe(0)
  })

  it('TV15: register_vcpu_info twice is -EINVAL on 4.7–4.17 and -EBUSY on 4.18+', () => {
    for (const [minor, rc] of [
      [7, EINVAL],
      [17, EINVAL],
      [18, EBUSY],
    ] as const) {
      const x = xen('hvm', 4, minor)
      expect(x.vcpuOp('VCPUOP_register_vcpu_info', 0, 0)).toBe(0)
      expect(x.vcpuOp('VCPUOP_register_vcpu_info', 0, 0)).toBe(rc)
    }
  })

  it('TV15: register_vcpu_info for another running vCPU is -EINVAL on 4.7–4.17 and 0 on 4.18+ (paused, mapped); an offline one is fine', () => {
    expect(xen('hvm', 4, 7, [0, 1]).vcpuOp('VCPUOP_register_vcpu_info', 0, 1)).toBe(EINVAL)
    expect(xen('hvm', 4, 17, [0, 1]).vcpuOp('VCPUOP_register_vcpu_info', 0, 1)).toBe(EINVAL)
    expect(xen('hvm', 4, 18, [0, 1]).vcpuOp('VCPUOP_register_vcpu_info', 0, 1)).toBe(0)
    expect(xen('hvm', 4, 7, [0]).vcpuOp('VCPUOP_register_vcpu_info', 0, 1)).toBe(0)
  })

  it('TV16: single-shot timers only on the caller (-EINVAL otherwise); periodic timers on any vCPU', () => {
    const x = xen('hvm', 4, 7, [0, 2])
    expect(x.vcpuOp('VCPUOP_set_singleshot_timer', 2, 0)).toBe(EINVAL)
    expect(x.vcpuOp('VCPUOP_stop_singleshot_timer', 2, 0)).toBe(EINVAL)
    expect(x.vcpuOp('VCPUOP_set_singleshot_timer', 2, 2)).toBe(0)
    expect(x.vcpuOp('VCPUOP_stop_periodic_timer', 2, 0)).toBe(0)
    expect(x.vcpuOp('VCPUOP_set_periodic_timer', 2, 3)).toBe(0)
  })

  it('HVM guests before Xen 4.7 may use only the whitelisted VCPUOPs (-ENOSYS), checked before the range', () => {
    const x = xen('hvm', 4, 6)
    expect(x.vcpuOp('VCPUOP_up', 0, 1)).toBe(ENOSYS)
    expect(x.vcpuOp('VCPUOP_is_up', 0, 9)).toBe(ENOSYS)
    expect(x.vcpuOp('VCPUOP_register_vcpu_info', 0, 9)).toBe(ENOENT)
    expect(x.vcpuOp('VCPUOP_stop_periodic_timer', 0, 0)).toBe(0)
    expect(xen('hvm', 4, 7).vcpuOp('VCPUOP_is_up', 0, 1)).toBe(0)
  })

  it('TV10: ARM allows only register_vcpu_info and register_runstate (-EINVAL), after the range check (-ENOENT)', () => {
    const x = xen('arm', 2)
    expect(x.vcpuOp('VCPUOP_up', 0, 1)).toBe(EINVAL)
    expect(x.vcpuOp('VCPUOP_initialise', 0, 1)).toBe(EINVAL)
    expect(x.vcpuOp('VCPUOP_register_vcpu_info', 0, 5)).toBe(ENOENT)
    expect(x.vcpuOp('VCPUOP_up', 0, 5)).toBe(ENOENT)
    expect(x.vcpuOp('VCPUOP_register_runstate_memory_area', 0, 1)).toBe(0)
  })

  it('VCPUOP_down of the last running vCPU powers the domain off from Xen 4.11 (d3b230fc46)', () => {
    const old = xen('pv', 2, 10)
    old.vcpuOp('VCPUOP_down', 0, 0)
    expect(old.poweredOff).toBe(false)
    const x = xen('pv', 2, 11)
    x.vcpuOp('VCPUOP_down', 0, 0)
    expect(x.poweredOff).toBe(true)
  })
})

describe('event channels', () => {
  it('TV17: init_control: out of range -ENOENT, misaligned or page-crossing offset -EINVAL, repeat -EINVAL (never -EEXIST)', () => {
    const x = xen('arm', 2)
    expect(x.initControl(2)).toBe(ENOENT)
    expect(x.initControl(U32_MAX)).toBe(ENOENT)
    expect(x.initControl(0, 4)).toBe(EINVAL)
    expect(x.initControl(0, 4096 - 8)).toBe(EINVAL)
    expect(x.abi).toBe('2l')
    expect(x.initControl(0)).toBe(0)
    expect(x.abi).toBe('fifo')
    expect(x.initControl(0)).toBe(EINVAL)
    expect(x.initControl(1)).toBe(0)
  })

  it('TV18: bind_virq: TIMER on vCPU 4 of 4 or on 0xFFFFFFFF -ENOENT; a global VIRQ on vCPU 2 -EINVAL; a second TIMER -EEXIST', () => {
    const x = xen('hvm', 4)
    expect(x.bindVirq('VIRQ_TIMER', 4).rc).toBe(ENOENT)
    expect(x.bindVirq('VIRQ_TIMER', U32_MAX).rc).toBe(ENOENT)
    expect(x.bindVirq('VIRQ_CONSOLE', 2).rc).toBe(EINVAL)
    expect(x.bindVirq('VIRQ_CONSOLE', U32_MAX).rc).toBe(EINVAL)
    const first = x.bindVirq('VIRQ_TIMER', 1)
    expect(first.rc).toBe(0)
    expect(x.bindVirq('VIRQ_TIMER', 1)).toEqual({ rc: EEXIST, port: 0 })
    expect(x.bindVirq('VIRQ_CONSOLE', 0).rc).toBe(0)
    expect(x.bindVirq('VIRQ_CONSOLE', 0).rc).toBe(EEXIST)
    // closing the port frees the vCPU's slot
    expect(x.close(first.port)).toBe(0)
    expect(x.bindVirq('VIRQ_TIMER', 1).rc).toBe(0)
  })

  it('TV19: the /dev/xen/evtchn bind of a global VIRQ with vcpu 2 (a kdump id[0]) is -EINVAL', () => {
    expect(xen('hvm', 4, 7, [2]).bindVirq('VIRQ_CONSOLE', 2).rc).toBe(EINVAL)
  })

  it('bind_ipi: a bad vCPU is -ENOENT; otherwise a new port bound to that vCPU, lowest free first', () => {
    const x = xen('pv', 2)
    expect(x.bindIpi(2).rc).toBe(ENOENT)
    const a = x.bindIpi(1)
    const b = x.bindIpi(0)
    expect(a).toEqual({ rc: 0, port: 3 }) // ports 1 and 2: the toolstack's xenstore and console
    expect(b.port).toBe(4)
    expect(x.port(a.port)).toMatchObject({ kind: 'ipi', vcpu: 1 })
    x.close(a.port)
    expect(x.bindIpi(0).port).toBe(3)
  })

  it('TV20: bind_vcpu: IPI and per-vCPU VIRQ ports -EINVAL, an interdomain port 0, target 9 of 4 -ENOENT', () => {
    const x = xen('hvm', 4)
    const ipi = x.bindIpi(0).port
    const timer = x.bindVirq('VIRQ_TIMER', 0).port
    expect(x.bindVcpu(ipi, 3)).toBe(EINVAL)
    expect(x.bindVcpu(timer, 3)).toBe(EINVAL)
    expect(x.bindVcpu(1, 3)).toBe(0) // port 1: the xenstore channel, interdomain
    expect(x.port(1)?.vcpu).toBe(3)
    expect(x.bindVcpu(1, 9)).toBe(ENOENT)
    expect(x.bindVcpu(999, 3)).toBe(EINVAL)
  })

  it('an event on a vCPU that is down stays pending; under FIFO one without a control block is dropped', () => {
    const x = xen('hvm', 4, 7, [0])
    const p1 = x.bindIpi(1).port
    expect(x.deliveryOf(p1)).toBe('vcpu-down')
    x.hvmStart(1)
    expect(x.deliveryOf(p1)).toBe('upcall')
    x.initControl(0)
    expect(x.deliveryOf(p1)).toBe('no-control-block')
    x.initControl(1)
    expect(x.deliveryOf(p1)).toBe('upcall')
  })
})

describe('soft reset and page tables', () => {
  it('soft reset closes every channel, drops FIFO to 2-level and unmaps every vcpu_info', () => {
    const x = xen('hvm', 40, 7, [2])
    expect(x.vcpuOp('VCPUOP_register_vcpu_info', 2, 2)).toBe(0)
    expect(x.initControl(2)).toBe(0)
    const p = x.bindIpi(2).port
    x.softReset()
    expect(x.abi).toBe('2l')
    expect(x.port(p)).toBeUndefined()
    expect(x.vcpus[2]?.vcpuInfo).toBe('shared')
    expect(x.vcpus[35]?.vcpuInfo).toBe('dummy')
    expect(x.vcpus[2]?.fifoBlock).toBe(false)
    expect(x.vcpuOp('VCPUOP_register_vcpu_info', 2, 2)).toBe(0)
  })

  it('MMUEXT_UNPIN_TABLE clears the pin even while a CR3 holds the table, but the pages cannot be made writable (-EBUSY) until it is left', () => {
    const x = xen('pv', 2, 7, [0, 1])
    x.pinTable(7)
    x.newBaseptr(1, 7)
    expect(x.unpinTable(7)).toBe(0)
    expect(x.tableUsers(7)).toEqual([1])
    expect(x.makeWritable(7)).toBe(EBUSY)
    x.newBaseptr(1, null)
    expect(x.makeWritable(7)).toBe(0)
    expect(x.unpinTable(7)).toBe(EINVAL) // not pinned any more
  })
})

describe('vCPU flags and port table (what event delivery reads)', () => {
  it('up and fifoBlock read and write one flag per vCPU: isUp and deliveryOf see every change', () => {
    const x = xen('hvm', 4, 8)
    const v2 = x.vcpus[2]!
    expect([v2.up, x.isUp(2)]).toEqual([false, false])
    v2.up = true
    expect([v2.up, x.isUp(2), x.isUp(1)]).toEqual([true, true, false])
    const { port } = x.bindIpi(2)
    expect(x.boundVcpu(port)).toBe(2)
    expect(x.deliveryOf(port)).toBe('upcall')
    x.abi = 'fifo'
    expect(x.deliveryOf(port)).toBe('no-control-block')
    v2.fifoBlock = true
    expect([v2.fifoBlock, v2.up]).toEqual([true, true])
    expect(x.deliveryOf(port)).toBe('upcall')
    v2.up = false
    expect([v2.fifoBlock, v2.up, x.isUp(2)]).toEqual([true, false, false])
    expect(x.deliveryOf(port)).toBe('vcpu-down')
    expect(x.isUp(-1)).toBe(false)
    expect(x.isUp(4)).toBe(false)
  })

  it('a closed port, a port never opened, and every port after a soft reset are bound to no vCPU', () => {
    const x = xen('hvm', 4, 8, [0, 1])
    const a = x.bindIpi(1).port
    const b = x.bindIpi(0).port
    expect([x.boundVcpu(a), x.boundVcpu(b), x.send(a)]).toEqual([1, 0, 0])
    expect(x.close(a)).toBe(0)
    expect([x.boundVcpu(a), x.send(a)]).toEqual([-1, EINVAL])
    expect(x.boundVcpu(10_000)).toBe(-1)
    // the freed port is reused and bound afresh
    expect(x.bindIpi(3).port).toBe(a)
    expect(x.boundVcpu(a)).toBe(3)
    x.softReset()
    expect([x.boundVcpu(a), x.boundVcpu(b), x.send(b)]).toEqual([-1, -1, EINVAL])
  })

  it('the port table grows past its first size without losing a binding', () => {
    const x = xen('hvm', 300, 8)
    const ports = Array.from({ length: 300 }, (_, v) => x.bindIpi(v).port)
    expect(ports.every((p, v) => x.boundVcpu(p) === v)).toBe(true)
  })
})
