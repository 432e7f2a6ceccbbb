package dev.kvmmp.probe.knobs;

import dev.kvmmp.knobs.KnobException;
import dev.kvmmp.knobs.KnobFiles;
import dev.kvmmp.knobs.KnobWrite;
import dev.kvmmp.proto.v1.HostKnobs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a {@link HostKnobs} message into the writes it needs, or refuses it. Every refusal is
 * reported at once, so that a user fixes the experiment in one go, and nothing is written.
 */
final class HostKnobPlanner {

  private final Path root;
  private final KnobFiles files;
  private final Set<String> allowlist;

  HostKnobPlanner(Path root, KnobFiles files, Set<String> allowlist) {
    this.root = root;
    this.files = files;
    this.allowlist = allowlist;
  }

  /**
   * The writes for each set field, in field order.
   *
   * @throws KnobException naming each knob that is refused and why
   */
  List<KnobWrite> plan(HostKnobs knobs) throws KnobException {
    List<KnobWrite> writes = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (KvmParam param : KvmParam.values()) {
      OptionalLong requested = param.requested(knobs);
      if (requested.isEmpty()) {
        continue;
      }
      String refusal = refusal(param, requested.getAsLong());
      if (refusal != null) {
        problems.add(param.knob() + ": " + refusal);
      } else {
        writes.add(new KnobWrite(param.knob(), param.file(),
            Long.toUnsignedString(requested.getAsLong())));
      }
    }
    if (!problems.isEmpty()) {
      throw new KnobException(String.join("; ", problems));
    }
    return writes;
  }

  // Allowlist first: a knob the operator has not allowed is not this probe's to inspect.
  private String refusal(KvmParam param, long value) {
    if (!allowlist.contains(param.knob())) {
      return "not on this probe's allowlist (allowed: "
          + (allowlist.isEmpty() ? "none" : String.join(", ", new TreeSet<>(allowlist))) + ")";
    }
    Path file = root.resolve(param.file());
    String shown = "/" + param.file();
    switch (files.access(file)) {
      case MISSING:
        return shown + " does not exist on this host: is the kvm module loaded?";
      case READ_ONLY:
        return shown + " is read-only on this host (" + mode(file) + "the kvm module was loaded "
            + "with it fixed, e.g. a nested or locked-down host); per-VM halt polling "
            + "(KVM_CAP_HALT_POLL) is the way here";
      case NO_PERMISSION:
        return shown + " is not writable by this process: run the probe as root";
      default:
        break;
    }
    // Compared unsigned: a uint64 field above 2^63 arrives as a negative long.
    if (Long.compareUnsigned(value, KvmParam.MAX) > 0) {
      return Long.toUnsignedString(value) + " is out of range (0.." + KvmParam.MAX
          + ": the kvm module's parameter is an unsigned int)";
    }
    return null;
  }

  /** e.g. {@code "0444: "}, or nothing when the mode cannot be read. */
  private static String mode(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      int mode = 0;
      for (PosixFilePermission permission : PosixFilePermission.values()) {
        // The enum runs OWNER_READ .. OTHERS_EXECUTE, most significant bit first.
        mode = (mode << 1) | (permissions.contains(permission) ? 1 : 0);
      }
      return String.format("0%o: ", mode);
    } catch (IOException | UnsupportedOperationException e) {
      return "";
    }
  }
}
