package dev.kvmmp.probe.microvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;

/**
 * A VM made through {@code /dev/kvm}: in-kernel irqchip (local APICs, so IPIs and HLT stay in
 * the kernel), one slot of guest memory at guest physical 0, and its vCPUs. {@link #close()}
 * releases every fd and mapping: a vCPU fd or its {@code kvm_run} mapping left open would keep
 * the kernel's {@code struct kvm} alive.
 */
final class MicroVm implements AutoCloseable {

  private final int fd;
  private final Pointer memory;
  private final long memoryBytes;
  private final int vcpuMmapSize;
  private final List<Vcpu> vcpus = new ArrayList<>();
  private boolean closed;

  private MicroVm(int fd, Pointer memory, long memoryBytes, int vcpuMmapSize) {
    this.fd = fd;
    this.memory = memory;
    this.memoryBytes = memoryBytes;
    this.vcpuMmapSize = vcpuMmapSize;
  }

  /** Creates a VM with {@code memoryBytes} (a multiple of 4 KiB) of zeroed guest memory. */
  static MicroVm create(KvmDevice kvm, long memoryBytes) throws KvmException {
    int mmapSize = kvm.vcpuMmapSize();
    int fd = kvm.createVm();
    Pointer memory = null;
    try {
      KvmIoctl.CREATE_IRQCHIP.call(fd, "vm", 0);
      try {
        memory = Libc.mmap(null, memoryBytes, Libc.PROT_READ_WRITE,
            Libc.MAP_SHARED | Libc.MAP_ANONYMOUS, -1, 0);
      } catch (LastErrorException e) {
        throw KvmException.of("mmap(" + memoryBytes + " bytes of guest memory)", e);
      }
      Memory region = new Memory(32);
      region.clear();
      region.setInt(0, 0); // slot
      region.setLong(8, 0); // guest_phys_addr
      region.setLong(16, memoryBytes);
      region.setLong(24, Pointer.nativeValue(memory));
      KvmIoctl.SET_USER_MEMORY_REGION.call(fd, "vm", region);
      return new MicroVm(fd, memory, memoryBytes, mmapSize);
    } catch (KvmException e) {
      if (memory != null) {
        Fds.unmap(memory, memoryBytes, "guest memory");
      }
      Fds.close(fd);
      throw e;
    }
  }

  /**
   * Sets this VM's halt-polling ceiling (KVM_CAP_HALT_POLL, Linux 5.8), overriding the module's
   * {@code halt_poll_ns} for this VM only.
   */
  void setHaltPollNs(long ns) throws KvmException {
    Memory cap = new Memory(104);
    cap.clear();
    cap.setInt(0, KvmIoctl.CAP_HALT_POLL);
    cap.setLong(8, ns);
    KvmIoctl.ENABLE_CAP.call(fd, "vm", cap);
  }

  /** The guest memory as the host sees it; guest physical address = offset. */
  Pointer memory() {
    return memory;
  }

  /** Creates vCPU {@code id} (also its x2APIC id); closed with the VM. */
  Vcpu addVcpu(int id) throws KvmException {
    Vcpu vcpu = Vcpu.create(fd, id, vcpuMmapSize);
    vcpus.add(vcpu);
    return vcpu;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    vcpus.forEach(Vcpu::close);
    Fds.close(fd);
    Fds.unmap(memory, memoryBytes, "guest memory");
  }
}
