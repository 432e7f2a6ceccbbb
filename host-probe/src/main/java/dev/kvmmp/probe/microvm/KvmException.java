package dev.kvmmp.probe.microvm;

import com.sun.jna.LastErrorException;

/**
 * A KVM or OS call of the micro-VM failed, or a run could not go on; the message names the call
 * (ioctl and fd, or syscall and path) and errno.
 */
public class KvmException extends Exception {

  public KvmException(String message) {
    super(message);
  }

  /** {@code what} failed with the errno in {@code e}, e.g. "ioctl(KVM_RUN) on vcpu fd 12". */
  static KvmException of(String what, LastErrorException e) {
    return new KvmException(what + " failed: errno " + e.getErrorCode() + " ("
        + Errno.name(e.getErrorCode()) + ")");
  }
}
