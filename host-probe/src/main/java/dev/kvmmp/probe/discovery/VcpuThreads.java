package dev.kvmmp.probe.discovery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The vCPU thread ids of a VMM process, found in {@code /proc} alone, without QMP: QEMU serves
 * one QMP client at a time, and the sampler holds that connection. A vCPU thread sits in
 * {@code ioctl(fd, KVM_RUN)} both while the guest runs and while it halts, so its
 * {@code /proc/PID/task/TID/syscall} names the vCPU's fd, and {@code /proc/PID/fd/FD} links to
 * {@code anon_inode:kvm-vcpu:N}, the vCPU's index.
 *
 * <p>A vCPU out of {@code KVM_RUN} at the moment of reading (handling an exit in user space) is
 * not found; the caller asks again later. x86-64 only (the syscall number).
 */
public final class VcpuThreads {

  private static final String SYS_IOCTL = "16";
  private static final String KVM_RUN = "0xae80";
  private static final String VCPU_FD = "anon_inode:kvm-vcpu:";
  /**
   * KVM's own worker threads (kvm-nx-lpage-recovery) belong to the VMM process and show the
   * registers, and so the syscall, of the vCPU thread that created them.
   */
  private static final String KVM_WORKER_PREFIX = "kvm-";

  private VcpuThreads() {
  }

  /**
   * The vCPU thread ids in vCPU order; empty when the process has no vCPU or some vCPU thread
   * could not be told now (outside {@code KVM_RUN}, or the process is gone).
   *
   * @param pidDir {@code /proc/PID}
   */
  public static Optional<List<Integer>> of(Path pidDir) {
    Map<Long, Integer> vcpuByFd = vcpuFds(pidDir.resolve("fd"));
    if (vcpuByFd.isEmpty()) {
      return Optional.empty();
    }
    TreeMap<Integer, Integer> tidByVcpu = new TreeMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(pidDir.resolve("task"))) {
      for (Path task : tasks) {
        Optional<Long> fd = kvmRunFd(task);
        if (fd.isEmpty() || !vcpuByFd.containsKey(fd.get())) {
          continue;
        }
        tidByVcpu.put(vcpuByFd.get(fd.get()), Integer.parseInt(task.getFileName().toString()));
      }
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    return tidByVcpu.size() == vcpuByFd.size()
        ? Optional.of(List.copyOf(tidByVcpu.values())) : Optional.empty();
  }

  /** fd number to vCPU index, from the links in {@code /proc/PID/fd}. */
  private static Map<Long, Integer> vcpuFds(Path fdDir) {
    Map<Long, Integer> vcpus = new TreeMap<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
      for (Path fd : fds) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
          continue; // closed while listing
        }
        if (target.startsWith(VCPU_FD)) {
          vcpus.put(Long.parseLong(fd.getFileName().toString()),
              Integer.parseInt(target.substring(VCPU_FD.length())));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Map.of();
    }
    return vcpus;
  }

  /** The fd of a thread blocked in {@code ioctl(fd, KVM_RUN, 0)}, from its syscall file. */
  private static Optional<Long> kvmRunFd(Path task) {
    try {
      String comm = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
      if (comm.startsWith(KVM_WORKER_PREFIX)) {
        return Optional.empty();
      }
      // "16 0xb 0xae80 0x0 ..." : number, then arguments in hex; "running" while on a CPU.
      String[] fields = Files.readString(task.resolve("syscall"), StandardCharsets.UTF_8)
          .strip().split(" ");
      if (fields.length < 3 || !fields[0].equals(SYS_IOCTL) || !fields[2].equals(KVM_RUN)
          || !fields[1].startsWith("0x")) {
        return Optional.empty();
      }
      return Optional.of(Long.parseLong(fields[1].substring(2), 16));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
