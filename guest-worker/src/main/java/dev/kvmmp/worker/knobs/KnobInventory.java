package dev.kvmmp.worker.knobs;

import dev.kvmmp.knobs.KnobFiles;
import dev.kvmmp.proto.v1.KnobValue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which guest knobs this guest has, with their current values and whether the worker may write
 * them, named as in {@link KnobNames}. A knob whose file cannot be read is left out: the guest
 * facts list what a run could set.
 */
public final class KnobInventory {

  private final Path root;
  private final KnobFiles files;

  public KnobInventory(Path root) {
    this(root, KnobFiles.sysfs());
  }

  KnobInventory(Path root, KnobFiles files) {
    this.root = root;
    this.files = files;
  }

  public List<KnobValue> available() {
    List<KnobValue> knobs = new ArrayList<>();
    for (HaltpollParam param : HaltpollParam.values()) {
      knob(param.knob(), param.file()).ifPresent(knobs::add);
    }
    // Kernels before 5.7 only show current_governor_ro unless booted with cpuidle_sysfs_switch.
    knob(KnobNames.CPUIDLE_GOVERNOR, SysfsLayout.CURRENT_GOVERNOR)
        .or(() -> read(SysfsLayout.CURRENT_GOVERNOR_RO).map(governor ->
            value(KnobNames.CPUIDLE_GOVERNOR, governor, false)))
        .ifPresent(knobs::add);
    read(SysfsLayout.AVAILABLE_GOVERNORS).ifPresent(governors ->
        knobs.add(value(KnobNames.CPUIDLE_AVAILABLE_GOVERNORS, governors, false)));
    IdleStates states = IdleStates.read(root, files);
    for (String name : states.names()) {
      List<String> disableFiles = new ArrayList<>();
      states.byCpu().values().forEach(cpuStates -> cpuStates.stream()
          .filter(state -> state.name().equals(name))
          .forEach(state -> disableFiles.add(state.disableFile())));
      idleStateKnob(name, disableFiles).ifPresent(knobs::add);
    }
    return List.copyOf(knobs);
  }

  /** The state's {@code disable} files agreed on, or {@link KnobNames#MIXED}. */
  private Optional<KnobValue> idleStateKnob(String name, List<String> disableFiles) {
    String agreed = null;
    boolean writable = true;
    for (String file : disableFiles) {
      Optional<String> value = read(file);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      agreed = agreed == null || agreed.equals(value.get()) ? value.get() : KnobNames.MIXED;
      writable &= files.access(root.resolve(file)) == KnobFiles.Access.WRITABLE;
    }
    return agreed == null ? Optional.empty()
        : Optional.of(value(KnobNames.idleStateDisabled(name), agreed, writable));
  }

  private Optional<KnobValue> knob(String name, String file) {
    return read(file).map(current ->
        value(name, current, files.access(root.resolve(file)) == KnobFiles.Access.WRITABLE));
  }

  private Optional<String> read(String file) {
    try {
      return Optional.of(files.read(root.resolve(file)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static KnobValue value(String name, String value, boolean writable) {
    return KnobValue.newBuilder().setName(name).setValue(value).setWritable(writable).build();
  }
}
