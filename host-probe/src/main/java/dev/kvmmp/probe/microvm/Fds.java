package dev.kvmmp.probe.microvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Releasing fds and mappings during teardown, where a failure is logged and teardown goes on. */
final class Fds {

  private static final Logger LOG = LoggerFactory.getLogger(Fds.class);

  private Fds() {}

  static void close(int fd) {
    try {
      Libc.close(fd);
    } catch (LastErrorException e) {
      LOG.warn("close(fd {}) failed: errno {} ({})", fd, e.getErrorCode(),
          Errno.name(e.getErrorCode()));
    }
  }

  static void unmap(Pointer address, long length, String what) {
    try {
      Libc.munmap(address, length);
    } catch (LastErrorException e) {
      LOG.warn("munmap({}, {} bytes) failed: errno {} ({})", what, length, e.getErrorCode(),
          Errno.name(e.getErrorCode()));
    }
  }
}
