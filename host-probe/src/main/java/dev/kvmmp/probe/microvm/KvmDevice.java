package dev.kvmmp.probe.microvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An open {@code /dev/kvm}: the system ioctls (API version, extensions, supported CPUID) and the
 * factory of VMs. Refused with the reason when there is no KVM or no permission.
 */
final class KvmDevice implements AutoCloseable {

  static final Path DEFAULT_PATH = Path.of("/dev/kvm");
  /** KVM_API_VERSION, stable since Linux 2.6.22. */
  private static final int API_VERSION = 12;
  private static final int CPUID_ENTRIES = 256;
  private static final int CPUID_ENTRY_SIZE = 40;

  private final Path path;
  private final int fd;
  private boolean closed;

  private KvmDevice(Path path, int fd) {
    this.path = path;
    this.fd = fd;
  }

  /**
   * Opens {@code path} read-write.
   *
   * @throws KvmException naming the path and why: missing (no KVM module, or not a KVM host),
   *     no permission (not root, not in group kvm), or an unexpected API version
   */
  static KvmDevice open(Path path) throws KvmException {
    if (!Files.exists(path)) {
      throw new KvmException(path + ": no such device: KVM is not available on this host (no kvm "
          + "module loaded, or no hardware virtualization exposed)");
    }
    int fd;
    try {
      fd = Libc.open(path.toString(), Libc.O_RDWR | Libc.O_CLOEXEC);
    } catch (LastErrorException e) {
      String hint = e.getErrorCode() == 13 || e.getErrorCode() == 1
          ? ": no permission (run as root or as a member of the group owning " + path + ")" : "";
      throw new KvmException("open(" + path + ", O_RDWR) failed: errno " + e.getErrorCode() + " ("
          + Errno.name(e.getErrorCode()) + ")" + hint);
    }
    KvmDevice device = new KvmDevice(path, fd);
    try {
      int version = KvmIoctl.GET_API_VERSION.call(fd, path.toString(), 0);
      if (version != API_VERSION) {
        throw new KvmException(path + ": KVM API version " + version + ", expected "
            + API_VERSION);
      }
    } catch (KvmException e) {
      device.close();
      throw e;
    }
    return device;
  }

  /** KVM_CHECK_EXTENSION: 0 when unsupported, else a capability-specific positive value. */
  int checkExtension(int capability) throws KvmException {
    return KvmIoctl.CHECK_EXTENSION.call(fd, path.toString(), capability);
  }

  int vcpuMmapSize() throws KvmException {
    return KvmIoctl.GET_VCPU_MMAP_SIZE.call(fd, path.toString(), 0);
  }

  /** KVM_GET_SUPPORTED_CPUID as a {@code struct kvm_cpuid2}, ready for KVM_SET_CPUID2. */
  Memory supportedCpuid() throws KvmException {
    Memory cpuid = new Memory(8 + (long) CPUID_ENTRIES * CPUID_ENTRY_SIZE);
    cpuid.clear();
    cpuid.setInt(0, CPUID_ENTRIES);
    KvmIoctl.GET_SUPPORTED_CPUID.call(fd, path.toString(), cpuid);
    return cpuid;
  }

  /** KVM_CREATE_VM: the VM's fd, owned by the caller. */
  int createVm() throws KvmException {
    return KvmIoctl.CREATE_VM.call(fd, path.toString(), 0);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Fds.close(fd);
    }
  }
}
