package dev.kvmmp.probe.microvm;

/** Names of the errno values a VMM meets, for messages. */
final class Errno {

  private Errno() {}

  static String name(int errno) {
    return switch (errno) {
      case 1 -> "EPERM";
      case 2 -> "ENOENT";
      case 4 -> "EINTR";
      case 5 -> "EIO";
      case 9 -> "EBADF";
      case 12 -> "ENOMEM";
      case 13 -> "EACCES";
      case 14 -> "EFAULT";
      case 16 -> "EBUSY";
      case 17 -> "EEXIST";
      case 19 -> "ENODEV";
      case 22 -> "EINVAL";
      case 24 -> "EMFILE";
      case 25 -> "ENOTTY";
      case 95 -> "EOPNOTSUPP";
      default -> "errno " + errno;
    };
  }
}
