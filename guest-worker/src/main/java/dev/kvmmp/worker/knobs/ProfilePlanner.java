package dev.kvmmp.worker.knobs;

import dev.kvmmp.knobs.KnobException;
import dev.kvmmp.knobs.KnobFiles;
import dev.kvmmp.knobs.KnobWrite;
import dev.kvmmp.proto.v1.GuestProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks a {@link GuestProfile} against this guest and turns it into the writes that set it.
 * Every problem is found before anything is written, and all are reported at once, so that a
 * user fixes a profile in one go.
 */
final class ProfilePlanner {

  private static final String NO_HALTPOLL = "this kernel has no haltpoll governor: it comes with "
      + "CONFIG_CPU_IDLE_GOV_HALTPOLL, for KVM guests only";
  private static final String NO_CPUIDLE = "no cpuidle driver: e.g. booted with idle=poll or "
      + "cpuidle.off=1";

  private final Path root;
  private final KnobFiles files;

  ProfilePlanner(Path root, KnobFiles files) {
    this.root = root;
    this.files = files;
  }

  /**
   * The writes that set {@code profile}: haltpoll parameters, then the governor, then idle
   * states on {@code cpus}, in that order.
   *
   * @throws KnobException naming each knob, value and reason the guest refuses
   */
  List<KnobWrite> plan(GuestProfile profile, List<Integer> cpus) throws KnobException {
    List<String> problems = new ArrayList<>();
    List<KnobWrite> writes = new ArrayList<>();
    for (HaltpollParam param : HaltpollParam.values()) {
      Optional<String> requested = param.requested(profile);
      if (requested.isEmpty()) {
        continue;
      }
      String value = requested.get();
      Optional<String> outOfRange = param.outOfRange(value);
      if (outOfRange.isPresent()) {
        problems.add(param.knob() + ": '" + value + "' is out of range: " + outOfRange.get());
      } else if (writable(param.knob() + ": cannot set '" + value + "'", param.file(),
          NO_HALTPOLL, problems)) {
        writes.add(new KnobWrite(param.knob(), param.file(), value));
      }
    }
    String governor = profile.getCpuidleGovernor();
    if (!governor.isEmpty()) {
      planGovernor(governor, writes, problems);
    }
    if (profile.getDisabledIdleStatesCount() > 0) {
      planIdleStates(new LinkedHashSet<>(profile.getDisabledIdleStatesList()), cpus, writes,
          problems);
    }
    if (!problems.isEmpty()) {
      throw new KnobException(String.join("; ", problems));
    }
    return List.copyOf(writes);
  }

  private void planGovernor(String governor, List<KnobWrite> writes, List<String> problems) {
    String what = KnobNames.CPUIDLE_GOVERNOR + ": cannot set '" + governor + "'";
    if (files.access(root.resolve(SysfsLayout.CURRENT_GOVERNOR)) == KnobFiles.Access.MISSING
        && files.access(root.resolve(SysfsLayout.CURRENT_GOVERNOR_RO))
            != KnobFiles.Access.MISSING) {
      problems.add(what + ": this kernel only has "
          + SysfsLayout.shown(SysfsLayout.CURRENT_GOVERNOR_RO) + " (older kernels switch "
          + "governors only when booted with cpuidle_sysfs_switch; or pick one at boot with "
          + "cpuidle.governor=" + governor + ")");
      return;
    }
    if (!writable(what, SysfsLayout.CURRENT_GOVERNOR, NO_CPUIDLE, problems)) {
      return;
    }
    // Without the list, the kernel itself refuses an unknown governor when it is written.
    Optional<List<String>> available = read(SysfsLayout.AVAILABLE_GOVERNORS)
        .map(text -> Arrays.asList(text.split("\\s+")));
    if (available.isPresent() && !available.get().contains(governor)) {
      problems.add(KnobNames.CPUIDLE_GOVERNOR + ": '" + governor
          + "' is not one of the available governors (" + String.join(", ", available.get())
          + ")");
      return;
    }
    writes.add(new KnobWrite(KnobNames.CPUIDLE_GOVERNOR, SysfsLayout.CURRENT_GOVERNOR, governor));
  }

  private void planIdleStates(LinkedHashSet<String> names, List<Integer> cpus,
      List<KnobWrite> writes, List<String> problems) {
    if (cpus.isEmpty()) {
      throw new IllegalArgumentException("disabled_idle_states " + names
          + ": no vCPUs to disable them on (pass the run's vCPUs, or all online ones)");
    }
    List<Integer> sortedCpus = cpus.stream().distinct().sorted().toList();
    IdleStates states = IdleStates.read(root, files);
    List<Integer> withoutCpuidle = sortedCpus.stream()
        .filter(cpu -> states.of(cpu).isEmpty()).toList();
    for (String name : names) {
      String field = "disabled_idle_states: ";
      if (!withoutCpuidle.isEmpty()) {
        String where = withoutCpuidle.size() == 1
            ? "it has no " + SysfsLayout.shown(SysfsLayout.cpuidleDir(withoutCpuidle.get(0)))
            : "they have no " + SysfsLayout.shown(SysfsLayout.CPU + "cpuN/cpuidle");
        problems.add(field + "cannot disable '" + name + "' on cpu " + join(withoutCpuidle)
            + ": " + where + " (offline, or " + NO_CPUIDLE + ")");
        continue;
      }
      List<Integer> lacking = new ArrayList<>();
      List<IdleState> found = new ArrayList<>();
      for (int cpu : sortedCpus) {
        states.of(cpu).orElseThrow().stream().filter(state -> state.name().equals(name))
            .findFirst().ifPresentOrElse(found::add, () -> lacking.add(cpu));
      }
      if (!lacking.isEmpty()) {
        int first = lacking.get(0);
        problems.add(field + "'" + name + "' is not an idle state of cpu " + join(lacking)
            + " (cpu " + first + " has " + states.of(first).orElseThrow().stream()
                .map(IdleState::name).collect(Collectors.joining(", ")) + ")");
        continue;
      }
      for (IdleState state : found) {
        if (writable(field + "cannot disable '" + name + "' on cpu " + state.cpu(),
            state.disableFile(), NO_CPUIDLE, problems)) {
          writes.add(new KnobWrite(KnobNames.idleStateDisabled(name), state.disableFile(), "1"));
        }
      }
    }
  }

  private boolean writable(String what, String file, String whyMissing, List<String> problems) {
    String shown = SysfsLayout.shown(file);
    switch (files.access(root.resolve(file))) {
      case WRITABLE -> {
        return true;
      }
      case MISSING -> problems.add(what + ": this guest has no " + shown + " (" + whyMissing
          + ")");
      case READ_ONLY -> problems.add(what + ": " + shown + " is read-only on this guest");
      case NO_PERMISSION -> problems.add(what + ": permission denied writing " + shown
          + " (the worker must run as root to set guest knobs)");
    }
    return false;
  }

  private Optional<String> read(String file) {
    try {
      return Optional.of(files.read(root.resolve(file)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String join(List<Integer> cpus) {
    return cpus.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }
}
