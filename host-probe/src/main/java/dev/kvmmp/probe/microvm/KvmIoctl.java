package dev.kvmmp.probe.microvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;

/**
 * The KVM ioctls the micro-VM uses, with their numbers as {@code <linux/kvm.h>} computes them
 * (checked with a C program against the 6.x uapi header). Errors name the ioctl, the fd and
 * errno.
 */
enum KvmIoctl {
  GET_API_VERSION(0xAE00),
  CREATE_VM(0xAE01),
  CHECK_EXTENSION(0xAE03),
  GET_VCPU_MMAP_SIZE(0xAE04),
  GET_SUPPORTED_CPUID(0xC008AE05L),
  CREATE_VCPU(0xAE41),
  SET_USER_MEMORY_REGION(0x4020AE46L),
  CREATE_IRQCHIP(0xAE60),
  RUN(0xAE80),
  GET_REGS(0x8090AE81L),
  SET_REGS(0x4090AE82L),
  GET_SREGS(0x8138AE83L),
  SET_SREGS(0x4138AE84L),
  SET_MSRS(0x4008AE89L),
  SET_CPUID2(0x4008AE90L),
  GET_MP_STATE(0x8004AE98L),
  SET_MP_STATE(0x4004AE99L),
  GET_TSC_KHZ(0xAEA3),
  ENABLE_CAP(0x4068AEA3L),
  GET_STATS_FD(0xAECE);

  /** KVM_CHECK_EXTENSION arguments. */
  static final int CAP_HALT_POLL = 182;
  static final int CAP_BINARY_STATS_FD = 203;

  private final long request;

  KvmIoctl(long request) {
    this.request = request;
  }

  /** The request number, for a caller that handles errno itself (KVM_RUN and EINTR). */
  long request() {
    return request;
  }

  /** Issues this ioctl with a pointer argument; returns its non-negative result. */
  int call(int fd, String fdKind, Pointer argument) throws KvmException {
    try {
      return Libc.ioctl(fd, request, argument);
    } catch (LastErrorException e) {
      throw KvmException.of(describe(fd, fdKind), e);
    }
  }

  /** Issues this ioctl with an integer argument (or none: 0). */
  int call(int fd, String fdKind, long argument) throws KvmException {
    try {
      return Libc.ioctl(fd, request, argument);
    } catch (LastErrorException e) {
      throw KvmException.of(describe(fd, fdKind), e);
    }
  }

  String describe(int fd, String fdKind) {
    return "ioctl(KVM_" + name() + ") on " + fdKind + " fd " + fd;
  }
}
