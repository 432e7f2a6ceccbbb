package dev.kvmmp.probe.discovery;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A QEMU process found under {@code /proc}, with what its command line tells: the VM's UUID and
 * name, and the QMP socket to ask for the rest.
 */
public record DiscoveredVm(long pid, Optional<String> uuid, Optional<String> name,
    Optional<Path> qmpSocket) {

  public DiscoveredVm {
    if (pid <= 0) {
      throw new IllegalArgumentException("pid must be > 0, was " + pid);
    }
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(qmpSocket, "qmpSocket");
  }

  static DiscoveredVm of(long pid, QemuCommandLine commandLine) {
    return new DiscoveredVm(pid, commandLine.uuid(), commandLine.name(), commandLine.qmpSocket());
  }
}
