# The same guest on the current pseries machine: from pseries-4.2 on, vsmt defaults
# to the threads per core (2), so the ids are 0 to 7 and QEMU asks KVM for SMT mode 2.
qemu-system-ppc64 \
  -name guest=p8-smt2,debug-threads=on \
  -machine pseries,accel=kvm,cap-htm=off \
  -cpu POWER8 \
  -m 8G \
  -smp 8,sockets=1,cores=4,threads=2 \
  -nodefaults -nographic \
  -serial mon:stdio \
  -drive file=guest.qcow2,if=none,id=disk0,format=qcow2 \
  -device virtio-blk-pci,drive=disk0
