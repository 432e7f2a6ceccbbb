package dev.kvmmp.probe.debugfs;

import dev.kvmmp.proto.v1.SourceStatus;
import dev.kvmmp.proto.v1.VmCounters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KVM's counters per VM from debugfs ({@code /sys/kernel/debug/kvm/<vmm-pid>-<vm-fd>/<stat>}, one
 * decimal number per file, as {@code virt/kvm/kvm_main.c} writes them), and each VM's vCPU thread
 * ids from {@code vcpuN/pid}. Root only, and closed under kernel lockdown: {@link #status()} says
 * which.
 *
 * <p>Read-only by design: writing 0 to a stat file clears that counter for every reader on the
 * host. Consumers take deltas between readings. debugfs does not tell cumulative counters from
 * instant values ({@code blocking}, {@code pages_4k}, {@code max_mmu_rmap_size}): all numeric
 * files are returned. Files that are not one counter (histograms {@code *_hist}, whose file
 * shows bucket 0 only; {@code mmu_rmaps_stat}, a table) or cannot be read (EPERM under lockdown) are skipped, with one warning naming
 * them the first time each is seen.
 */
public final class DebugfsStatsSource {

  /** The value of {@link VmCounters#getSource()} and of {@link SourceStatus#getName()}. */
  public static final String SOURCE = "debugfs";
  /** Where debugfs keeps KVM's files on a host with debugfs mounted in the usual place. */
  public static final Path DEFAULT_DIR = Path.of("/sys/kernel/debug/kvm");

  private static final Logger log = LoggerFactory.getLogger(DebugfsStatsSource.class);
  private static final Pattern VM_DIR = Pattern.compile("(\\d+)-(\\d+)");
  private static final Pattern VCPU_DIR = Pattern.compile("vcpu(\\d+)");
  private static final Pattern DECIMAL = Pattern.compile("\\d{1,20}");
  private static final String MOUNT_HINT = "mount -t debugfs none /sys/kernel/debug";

  private final Path debugfsKvm;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  /** Reads under {@code debugfsKvm}, normally {@link #DEFAULT_DIR}. */
  public DebugfsStatsSource(Path debugfsKvm) {
    this.debugfsKvm = Objects.requireNonNull(debugfsKvm, "debugfsKvm");
  }

  /**
   * Whether counters can be read here: available, or why not and what to do. Tries one counter
   * (the global {@code exits}, else the first file found), since lockdown refuses the counters
   * while leaving the read-only files open.
   */
  public SourceStatus status() {
    SourceStatus.Builder status = SourceStatus.newBuilder().setName(SOURCE);
    if (!Files.isDirectory(debugfsKvm)) {
      Path debugfs = debugfsKvm.getParent();
      if (debugfs == null || isEmptyOrMissing(debugfs)) {
        return status.setReason("debugfs not mounted: no " + debugfsKvm + "; as root: "
            + MOUNT_HINT).build();
      }
      return status.setReason("no " + debugfsKvm + " although debugfs is mounted at " + debugfs
          + ": is the kvm module loaded (lsmod | grep kvm)?").build();
    }
    Optional<Path> probe = probeFile();
    if (probe.isEmpty()) {
      return status.setReason("no counter files in " + debugfsKvm).build();
    }
    try {
      Files.readAllBytes(probe.get());
      return status.setAvailable(true).setReason("counters readable (" + probe.get() + ")")
          .build();
    } catch (AccessDeniedException e) {
      return status.setReason("reading " + probe.get() + ": EACCES, permission denied: debugfs "
          + "counters need root").build();
    } catch (FileSystemException e) {
      if ("Operation not permitted".equals(e.getReason())) {
        return status.setReason("reading " + probe.get() + ": EPERM, operation not permitted: "
            + "kernel lockdown closes debugfs counters (see /sys/kernel/security/lockdown); "
            + "read them over QMP query-stats instead").build();
      }
      return status.setReason("reading " + probe.get() + ": " + e.getMessage()).build();
    } catch (IOException e) {
      return status.setReason("reading " + probe.get() + ": " + e).build();
    }
  }

  /**
   * Every VM directory's readable counters and vCPU thread ids, ordered by directory name. A VM
   * that goes away while being read is left out; counters that cannot be read are left out.
   */
  public List<DebugfsVm> read() throws IOException {
    List<Path> dirs = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(debugfsKvm,
        p -> VM_DIR.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))) {
      entries.forEach(dirs::add);
    }
    dirs.sort(Comparator.naturalOrder());
    List<DebugfsVm> vms = new ArrayList<>();
    Skipped skipped = new Skipped(new TreeSet<>(), new TreeSet<>());
    for (Path dir : dirs) {
      try {
        vms.add(readVm(dir, skipped));
      } catch (NoSuchFileException e) {
        log.debug("{} vanished while being read; its VM exited", dir);
      }
    }
    warnOnce(skipped.notNumbers(), "not one counter (histograms, tables)");
    warnOnce(skipped.unreadable(), "unreadable (EPERM means kernel lockdown)");
    return vms;
  }

  private DebugfsVm readVm(Path dir, Skipped skipped) throws IOException {
    Matcher name = VM_DIR.matcher(dir.getFileName().toString());
    if (!name.matches()) {
      throw new IllegalArgumentException("not a <pid>-<fd> directory: " + dir);
    }
    VmCounters.Builder counters = VmCounters.newBuilder()
        .setSource(SOURCE)
        .setVmmPid(Integer.parseInt(name.group(1)))
        .setDebugfsDir(dir.getFileName().toString());
    TreeMap<Integer, Integer> tids = new TreeMap<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : (Iterable<Path>) entries.sorted()::iterator) {
        String file = entry.getFileName().toString();
        Matcher vcpu = VCPU_DIR.matcher(file);
        if (vcpu.matches() && Files.isDirectory(entry)) {
          readNumber(entry.resolve("pid"), "vcpuN/pid", skipped)
              .ifPresent(tid -> tids.put(Integer.parseInt(vcpu.group(1)), Math.toIntExact(tid)));
        } else if (file.endsWith("_hist")) {
          // A histogram's debugfs file shows its first bucket only: a number, but not the stat.
          skipped.notNumbers().add(file);
        } else if (Files.isRegularFile(entry)) {
          readNumber(entry, file, skipped).ifPresent(value -> counters.putStats(file, value));
        }
      }
    }
    return new DebugfsVm(counters.build(), List.copyOf(tids.values()));
  }

  /**
   * The file's one decimal number; empty, noting {@code name} in {@code skipped}, if it is not one
   * or cannot be read. A vanished file throws, so that the VM is left out whole.
   */
  private static Optional<Long> readNumber(Path file, String name, Skipped skipped)
      throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      skipped.unreadable().add(name);
      return Optional.empty();
    }
    if (!DECIMAL.matcher(text).matches()) {
      skipped.notNumbers().add(name);
      return Optional.empty();
    }
    try {
      // Unsigned 64-bit in the kernel: values above Long.MAX_VALUE keep their bits.
      return Optional.of(Long.parseUnsignedLong(text));
    } catch (NumberFormatException e) {
      skipped.notNumbers().add(name);
      return Optional.empty();
    }
  }

  /** One warning for the names not warned about before: a sampler reads every few seconds. */
  private void warnOnce(Set<String> names, String why) {
    List<String> fresh = names.stream().filter(warned::add).toList();
    if (!fresh.isEmpty()) {
      log.warn("{}: skipping files {}: {}", debugfsKvm, why, fresh);
    }
  }

  /** Names of files skipped in one reading, by why. */
  private record Skipped(Set<String> notNumbers, Set<String> unreadable) {
  }

  private Optional<Path> probeFile() {
    Path exits = debugfsKvm.resolve("exits");
    if (Files.isRegularFile(exits)) {
      return Optional.of(exits);
    }
    try (Stream<Path> files = Files.list(debugfsKvm)) {
      return files.filter(Files::isRegularFile).sorted().findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean isEmptyOrMissing(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      return true;
    }
  }
}
