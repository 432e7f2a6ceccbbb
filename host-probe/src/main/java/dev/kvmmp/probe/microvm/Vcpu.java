package dev.kvmmp.probe.microvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * One vCPU: its fd and its mapped {@code struct kvm_run}. Set up from any thread; {@link #run()}
 * from the one thread that runs it.
 */
final class Vcpu {

  static final int EXIT_IO = 2;
  static final int EXIT_INTR = 10;
  static final int EXIT_INTERNAL_ERROR = 17;
  private static final int RUN_INTERNAL = 0x20;
  private static final int MSR_IA32_APIC_BASE = 0x1B;
  private static final long REGS_SIZE = 0x90;
  private static final long SREGS_SIZE = 0x138;
  private static final int RUN_EXIT_REASON = 8;
  private static final int RUN_IMMEDIATE_EXIT = 1;
  private static final int RUN_IO_PORT = 0x20 + 2;

  private final int id;
  private final int fd;
  private final Pointer run;
  private final int runSize;
  private final String kind;
  private volatile int lastExitReason = -1;
  private boolean closed;

  private Vcpu(int id, int fd, Pointer run, int runSize) {
    this.id = id;
    this.fd = fd;
    this.run = run;
    this.runSize = runSize;
    this.kind = "vcpu " + id;
  }

  static Vcpu create(int vmFd, int id, int runSize) throws KvmException {
    int fd = KvmIoctl.CREATE_VCPU.call(vmFd, "vm", id);
    try {
      return new Vcpu(id, fd, Libc.mmap(null, runSize, Libc.PROT_READ_WRITE, Libc.MAP_SHARED, fd,
          0), runSize);
    } catch (LastErrorException e) {
      Fds.close(fd);
      throw KvmException.of("mmap(kvm_run of vcpu " + id + ", fd " + fd + ")", e);
    }
  }

  int id() {
    return id;
  }

  void setCpuid(Memory cpuid) throws KvmException {
    KvmIoctl.SET_CPUID2.call(fd, kind, cpuid);
  }

  /** Real mode with CS=0 (reset leaves CS at 0xF000, base 0xFFFF0000): code sits low. */
  void setRealModeFlat() throws KvmException {
    Memory sregs = new Memory(SREGS_SIZE);
    KvmIoctl.GET_SREGS.call(fd, kind, sregs);
    sregs.setLong(0, 0); // cs.base
    sregs.setShort(12, (short) 0); // cs.selector
    KvmIoctl.SET_SREGS.call(fd, kind, sregs);
  }

  /** x2APIC mode (IA32_APIC_BASE EN|EXTD at the default base; BSP bit on vCPU 0). */
  void enableX2apic() throws KvmException {
    long base = 0xFEE00000L | 0xC00 | (id == 0 ? 0x100 : 0);
    Memory msrs = new Memory(8 + 16);
    msrs.clear();
    msrs.setInt(0, 1);
    msrs.setInt(8, MSR_IA32_APIC_BASE);
    msrs.setLong(16, base);
    if (KvmIoctl.SET_MSRS.call(fd, kind, msrs) != 1) {
      throw new KvmException("ioctl(KVM_SET_MSRS) on " + kind + " fd " + fd
          + ": IA32_APIC_BASE=0x" + Long.toHexString(base) + " refused");
    }
  }

  void setEntry(long rip, long rsp) throws KvmException {
    Memory regs = new Memory(REGS_SIZE);
    regs.clear();
    regs.setLong(0x30, rsp);
    regs.setLong(0x80, rip);
    regs.setLong(0x88, 2); // rflags: bit 1 is reserved-one; IF clear
    KvmIoctl.SET_REGS.call(fd, kind, regs);
  }

  /** An application processor waits for INIT/SIPI under the in-kernel APIC: make it run now. */
  void setRunnable() throws KvmException {
    Memory state = new Memory(4);
    state.setInt(0, 0);
    KvmIoctl.SET_MP_STATE.call(fd, kind, state);
  }

  /** The guest TSC frequency in kHz (KVM_GET_TSC_KHZ). */
  int tscKhz() throws KvmException {
    return KvmIoctl.GET_TSC_KHZ.call(fd, kind, 0);
  }

  /** Opens the vCPU's binary stats fd; must happen before the vCPU runs (it takes its lock). */
  int openStatsFd() throws KvmException {
    return KvmIoctl.GET_STATS_FD.call(fd, kind, 0);
  }

  /**
   * KVM_RUN until the next exit to user space; returns the exit reason, {@link #EXIT_INTR} when
   * a signal or {@link #requestImmediateExit()} interrupted it.
   */
  int run() throws KvmException {
    int reason;
    try {
      Libc.ioctl(fd, KvmIoctl.RUN.request(), 0L);
      reason = run.getInt(RUN_EXIT_REASON);
    } catch (LastErrorException e) {
      if (e.getErrorCode() != Libc.EINTR) {
        throw KvmException.of(KvmIoctl.RUN.describe(fd, kind), e);
      }
      reason = EXIT_INTR;
    }
    lastExitReason = reason;
    return reason;
  }

  /**
   * The last exit in words for an error: its reason, and for KVM_EXIT_INTERNAL_ERROR (17) the
   * suberror (1 emulation failure, 2 simultaneous exceptions, ...) and its data words.
   */
  String describeExit(int reason) {
    if (reason != EXIT_INTERNAL_ERROR) {
      return "exit reason " + reason;
    }
    int ndata = Math.min(run.getInt(RUN_INTERNAL + 4), 16);
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < ndata; i++) {
      data.append(i == 0 ? "" : " ").append("0x")
          .append(Long.toHexString(run.getLong(RUN_INTERNAL + 8 + 8L * i)));
    }
    return "exit reason 17 (internal error), suberror " + run.getInt(RUN_INTERNAL) + ", data ["
        + data + "]";
  }

  /** The port of the last KVM_EXIT_IO. */
  int ioPort() {
    return run.getShort(RUN_IO_PORT) & 0xFFFF;
  }

  /** Makes the current or next KVM_RUN return at once (kvm_run.immediate_exit, Linux 4.11). */
  void requestImmediateExit() {
    run.setByte(RUN_IMMEDIATE_EXIT, (byte) 1);
  }

  /** Registers and mp_state; only while no thread is inside KVM_RUN on this vCPU. */
  VcpuState state() throws KvmException {
    Memory regs = new Memory(REGS_SIZE);
    KvmIoctl.GET_REGS.call(fd, kind, regs);
    Memory mpState = new Memory(4);
    KvmIoctl.GET_MP_STATE.call(fd, kind, mpState);
    return new VcpuState(id, regs.getLong(0x80), regs.getLong(0x30), regs.getLong(0x88),
        mpState.getInt(0), lastExitReason);
  }

  void close() {
    if (!closed) {
      closed = true;
      Fds.unmap(run, runSize, "kvm_run of vcpu " + id);
      Fds.close(fd);
    }
  }
}
