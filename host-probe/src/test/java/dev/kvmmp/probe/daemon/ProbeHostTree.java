package dev.kvmmp.probe.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A directory laid out like the parts of a KVM host the probe reads: the kvm module's
 * halt-polling parameters (the module's defaults, mode 0644 unless a test says otherwise), the
 * boot id, and /proc entries of QEMU processes.
 */
final class ProbeHostTree {

  static final String PARAMS = "sys/module/kvm/parameters/";

  private final Path root;

  ProbeHostTree(Path root) throws IOException {
    this.root = root;
    param("halt_poll_ns", "200000", "rw-r--r--");
    param("halt_poll_ns_grow", "2", "rw-r--r--");
    param("halt_poll_ns_grow_start", "10000", "rw-r--r--");
    param("halt_poll_ns_shrink", "0", "rw-r--r--");
    write("proc/sys/kernel/random/boot_id", "boot-1\n");
  }

  void param(String name, String value, String mode) throws IOException {
    Path file = write(PARAMS + name, value + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
  }

  String param(String name) throws IOException {
    return Files.readString(root.resolve(PARAMS + name)).strip();
  }

  /**
   * A QEMU process as /proc shows it: its command line, and one thread per vCPU blocked in
   * {@code ioctl(vcpu fd, KVM_RUN)}, as read on this machine from a running QEMU 7.2.
   */
  void qemu(int pid, String uuid, String name, int... vcpuTids) throws IOException {
    String cmdline = String.join("\0", "qemu-system-x86_64", "-enable-kvm", "-uuid", uuid,
        "-name", name, "-qmp", "unix:/tmp/q" + pid + ".sock,server=on,wait=off") + "\0";
    write("proc/" + pid + "/cmdline", cmdline);
    write("proc/" + pid + "/comm", "qemu-system-x86\n");
    write("proc/" + pid + "/task/" + pid + "/comm", "qemu-system-x86\n");
    write("proc/" + pid + "/task/" + pid + "/syscall", "271 0x5653e8c04c20 0x4 0x7ffd9c9a93d0 "
        + "0x0 0x8 0x0 0x7ffd9c9a93b0 0x7f0947b50366\n");
    Files.createDirectories(root.resolve("proc/" + pid + "/fd"));
    Files.createSymbolicLink(root.resolve("proc/" + pid + "/fd/9"), Path.of("anon_inode:kvm-vm"));
    for (int vcpu = 0; vcpu < vcpuTids.length; vcpu++) {
      int fd = 11 + 3 * vcpu;
      Files.createSymbolicLink(root.resolve("proc/" + pid + "/fd/" + fd),
          Path.of("anon_inode:kvm-vcpu:" + vcpu));
      String task = "proc/" + pid + "/task/" + vcpuTids[vcpu] + "/";
      write(task + "comm", "qemu-system-x86\n");
      write(task + "syscall", "16 0x" + Integer.toHexString(fd) + " 0xae80 0x0 0x0 "
          + "0x5653b795a290 0xff 0x7f0945dbb530 0x7f0947b51d6b\n");
    }
  }

  Path write(String relative, String content) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }
}
