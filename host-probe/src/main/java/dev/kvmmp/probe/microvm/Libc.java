package dev.kvmmp.probe.microvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The libc calls a VMM needs, through JNA direct mapping. Each throws {@link LastErrorException}
 * carrying errno; callers turn it into a {@link KvmException} naming the call.
 */
final class Libc {

  static final int O_RDONLY = 0;
  static final int O_RDWR = 02;
  static final int O_CLOEXEC = 02000000;
  static final int PROT_READ_WRITE = 0x1 | 0x2;
  static final int MAP_SHARED = 0x01;
  static final int MAP_ANONYMOUS = 0x20;
  static final int EINTR = 4;

  static {
    Native.register("c");
  }

  private Libc() {}

  static native int open(String path, int flags) throws LastErrorException;

  static native int close(int fd) throws LastErrorException;

  static native int ioctl(int fd, long request, Pointer argument) throws LastErrorException;

  static native int ioctl(int fd, long request, long argument) throws LastErrorException;

  static native Pointer mmap(Pointer address, long length, int protection, int flags, int fd,
      long offset) throws LastErrorException;

  static native int munmap(Pointer address, long length) throws LastErrorException;

  static native long pread(int fd, Pointer buffer, long count, long offset)
      throws LastErrorException;

  static native int getpid();

  static native int gettid();

  static native int tgkill(int tgid, int tid, int signal) throws LastErrorException;

  static native int sched_setaffinity(int tid, long size, long[] mask) throws LastErrorException;

  static native int sched_getaffinity(int tid, long size, long[] mask) throws LastErrorException;
}
