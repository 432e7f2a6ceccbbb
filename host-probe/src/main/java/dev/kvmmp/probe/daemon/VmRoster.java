package dev.kvmmp.probe.daemon;

import dev.kvmmp.probe.discovery.QemuCommandLine;
import dev.kvmmp.probe.discovery.VcpuThreads;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.VmCounters;
import dev.kvmmp.proto.v1.VmInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The VMs the probe follows, as the coordinator sees them: those in the latest sample, each with
 * its name from its command line and its vCPU threads from {@code /proc}. {@code /proc} is read
 * only for a VM not seen before, or whose vCPU threads were not all found yet.
 */
final class VmRoster {

  private final Path proc;
  private final Map<Integer, VmInfo> byPid = new HashMap<>();
  private List<VmInfo> current = List.of();

  VmRoster(Path proc) {
    this.proc = proc;
  }

  synchronized List<VmInfo> current() {
    return current;
  }

  /** Takes the VMs of {@code sample}; returns the new list when it differs from the last. */
  synchronized Optional<List<VmInfo>> update(HostSample sample) {
    Map<Integer, VmInfo> next = new HashMap<>();
    for (VmCounters vm : sample.getVmsList()) {
      int pid = vm.getVmmPid();
      VmInfo known = byPid.get(pid);
      boolean complete = known != null && known.getVcpuTidsCount() > 0
          && (vm.getVmIdentity().isEmpty() || known.getVmIdentity().equals(vm.getVmIdentity()));
      next.put(pid, complete ? known : describe(pid, vm.getVmIdentity()));
    }
    byPid.clear();
    byPid.putAll(next);
    List<VmInfo> list = new ArrayList<>(next.values());
    list.sort(Comparator.comparingInt(VmInfo::getVmmPid));
    if (list.equals(current)) {
      return Optional.empty();
    }
    current = List.copyOf(list);
    return Optional.of(current);
  }

  private VmInfo describe(int pid, String identity) {
    Path dir = proc.resolve(Integer.toString(pid));
    VmInfo.Builder info = VmInfo.newBuilder().setVmmPid(pid).setVmIdentity(identity);
    try {
      QemuCommandLine commandLine =
          QemuCommandLine.parse(Files.readAllBytes(dir.resolve("cmdline")));
      commandLine.name().ifPresent(info::setName);
      if (identity.isEmpty()) {
        commandLine.uuid().ifPresent(info::setVmIdentity);
      }
    } catch (IOException e) {
      // Gone since the sample: the next sample drops it.
    }
    VcpuThreads.of(dir).ifPresent(info::addAllVcpuTids);
    return info.build();
  }
}
