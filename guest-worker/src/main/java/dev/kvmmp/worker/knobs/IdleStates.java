package dev.kvmmp.worker.knobs;

import dev.kvmmp.knobs.KnobFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The cpuidle states of each vCPU, as sysfs lists them. Only vCPUs with a cpuidle directory
 * appear: an offline vCPU, or a guest without a cpuidle driver, has none.
 */
final class IdleStates {

  private static final Pattern CPU_DIR = Pattern.compile("cpu(\\d+)");
  private static final Pattern STATE_DIR = Pattern.compile("state(\\d+)");

  private final SortedMap<Integer, List<IdleState>> byCpu;

  private IdleStates(SortedMap<Integer, List<IdleState>> byCpu) {
    this.byCpu = byCpu;
  }

  static IdleStates read(Path root, KnobFiles files) {
    SortedMap<Integer, List<IdleState>> byCpu = new TreeMap<>();
    for (Path cpuDir : list(root.resolve(SysfsLayout.CPU))) {
      Matcher cpu = CPU_DIR.matcher(cpuDir.getFileName().toString());
      if (cpu.matches() && Files.isDirectory(cpuDir.resolve("cpuidle"))) {
        int number = Integer.parseInt(cpu.group(1));
        byCpu.put(number, states(number, cpuDir.resolve("cpuidle"), files));
      }
    }
    return new IdleStates(byCpu);
  }

  /** The states of {@code cpu} in stateN order; empty when it has no cpuidle directory. */
  Optional<List<IdleState>> of(int cpu) {
    return Optional.ofNullable(byCpu.get(cpu));
  }

  /** Every vCPU's states, by vCPU in ascending order. */
  Map<Integer, List<IdleState>> byCpu() {
    return byCpu;
  }

  /** The distinct state names, in the order vCPUs and states list them. */
  List<String> names() {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    byCpu.values().forEach(states -> states.forEach(state -> names.add(state.name())));
    return List.copyOf(names);
  }

  // stateN in N order: a listing is unordered, and state10 sorts before state2 as text.
  private static List<IdleState> states(int cpu, Path cpuidleDir, KnobFiles files) {
    SortedMap<Integer, IdleState> states = new TreeMap<>();
    for (Path dir : list(cpuidleDir)) {
      Matcher state = STATE_DIR.matcher(dir.getFileName().toString());
      if (state.matches()) {
        int index = Integer.parseInt(state.group(1));
        try {
          states.put(index, new IdleState(cpu, index, files.read(dir.resolve("name"))));
        } catch (IOException e) {
          // A state without a readable name cannot be asked for by name: not a knob.
        }
      }
    }
    return List.copyOf(states.values());
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.sorted(Comparator.naturalOrder()).toList();
    } catch (IOException | SecurityException e) {
      return List.of();
    }
  }
}
