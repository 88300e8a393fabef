# A POWER8 KVM guest on an older machine type: 8 vcpus as 4 cores of 2 threads.
# pseries-4.1 and older default vsmt to MAX(8, threads) = 8, so the cores' first
# vcpu ids are 8 apart: 0, 1, 8, 9, 16, 17, 24, 25.
qemu-system-ppc64 \
  -name guest=p8-smt2,debug-threads=on \
  -machine pseries-4.1,accel=kvm,cap-htm=off \
  -cpu POWER8 \
  -m 8G \
  -smp 8,sockets=1,cores=4,threads=2 \
  -nodefaults -nographic \
  -serial mon:stdio \
  -drive file=guest.qcow2,if=none,id=disk0,format=qcow2 \
  -device virtio-blk-pci,drive=disk0
