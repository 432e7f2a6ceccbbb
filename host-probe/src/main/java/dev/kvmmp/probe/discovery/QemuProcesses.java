package dev.kvmmp.probe.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kvmmp.probe.qmp.QmpClient;
import dev.kvmmp.proto.v1.VmInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The QEMU VMs on this host, found by scanning {@code /proc}: every process whose {@code comm} or
 * {@code exe} is a {@code qemu-system-*} binary. {@link #list()} then asks each VM's QMP socket for
 * its vCPU thread ids. Processes come and go while the scan runs: a VM that vanishes or whose
 * socket refuses is left out of that listing with one warning, and never fails the whole listing.
 *
 * <p>Each scan lists {@code /proc}, but reads a process's files only when its pid is new, and
 * then again on a schedule ({@link PidRecheck}): a QEMU's command line does not change, and a
 * process that is not QEMU rarely becomes one (an exec soon after its fork, as libvirt starts
 * QEMU, is caught within a second or two).
 *
 * <p>The socket paths are as QEMU saw them: a probe in another mount namespace (a container)
 * must see the same paths.
 */
public final class QemuProcesses implements VmDiscovery {

  private static final Logger log = LoggerFactory.getLogger(QemuProcesses.class);
  private static final String NIL_UUID = "00000000-0000-0000-0000-000000000000";
  // comm is cut to 15 bytes: "qemu-system-x86" for qemu-system-x86_64.
  private static final String BINARY_PREFIX = "qemu-system-";
  static final Duration DEFAULT_QMP_TIMEOUT = Duration.ofSeconds(2);

  /** What a pid was when last looked at: a VM, or not one (empty), and when to look again. */
  private record Seen(Optional<DiscoveredVm> vm, PidRecheck recheck) {}

  private final Path proc;
  private final Duration qmpTimeout;
  private final LongSupplier nanoTime;
  private final Map<Long, Seen> seen = new HashMap<>();
  /** Pids of QEMUs without a command line (exiting), warned about once each. */
  private final Set<Long> warnedEmpty = new HashSet<>();

  /** Scans {@code proc} (normally {@code /proc}), asking QMP with a 2 s timeout per command. */
  public QemuProcesses(Path proc) {
    this(proc, DEFAULT_QMP_TIMEOUT, System::nanoTime);
  }

  QemuProcesses(Path proc, Duration qmpTimeout) {
    this(proc, qmpTimeout, System::nanoTime);
  }

  QemuProcesses(Path proc, Duration qmpTimeout, LongSupplier nanoTime) {
    this.proc = Objects.requireNonNull(proc, "proc");
    this.qmpTimeout = Objects.requireNonNull(qmpTimeout, "qmpTimeout");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /** The QEMU processes and their command lines, without asking QMP; ordered by pid. */
  @Override
  public synchronized List<DiscoveredVm> discover() {
    String[] names = proc.toFile().list();
    if (names == null) {
      log.warn("cannot list {}; no VMs found", proc);
      seen.clear();
      return List.of();
    }
    long now = nanoTime.getAsLong();
    Set<Long> present = new HashSet<>();
    List<DiscoveredVm> vms = new ArrayList<>();
    for (String name : names) {
      long pid = pidOf(name);
      if (pid <= 0) {
        continue;
      }
      present.add(pid);
      Seen known = seen.get(pid);
      if (known == null || known.recheck().due(now)) {
        known = look(pid, now, known == null ? PidRecheck.first(now) : known.recheck().next(now));
        seen.put(pid, known);
      }
      known.vm().ifPresent(vms::add);
    }
    seen.keySet().retainAll(present);
    warnedEmpty.retainAll(present);
    vms.sort(Comparator.comparingLong(DiscoveredVm::pid));
    return vms;
  }

  /**
   * Reads what pid is at {@code now}; {@code notQemu} is when to look again if it is not QEMU. A
   * QEMU caught exiting (no command line) is looked at again soon.
   */
  private Seen look(long pid, long now, PidRecheck notQemu) {
    Path dir = proc.resolve(Long.toString(pid));
    if (!isQemu(dir)) {
      return new Seen(Optional.empty(), notQemu);
    }
    try {
      byte[] cmdline = Files.readAllBytes(dir.resolve("cmdline"));
      // A process that exited but is not yet reaped (a zombie) has an empty cmdline.
      if (cmdline.length == 0) {
        if (warnedEmpty.add(pid)) {
          log.warn("QEMU pid {}: empty {} (exiting?); left out of the listing", pid,
              dir.resolve("cmdline"));
        }
        return new Seen(Optional.empty(), PidRecheck.first(now));
      }
      return new Seen(Optional.of(DiscoveredVm.of(pid, QemuCommandLine.parse(cmdline))),
          PidRecheck.qemu(now));
    } catch (IOException e) {
      log.warn("QEMU pid {}: cannot read {} ({}); left out of this listing", pid,
          dir.resolve("cmdline"), e.toString());
      return new Seen(Optional.empty(), PidRecheck.first(now));
    }
  }

  /**
   * The VMs on this host, ordered by pid, with their vCPU thread ids in vCPU order from QMP
   * ({@code query-cpus-fast}); empty thread ids for a VM without a QMP socket on its command line.
   */
  public List<VmInfo> list() {
    List<VmInfo> result = new ArrayList<>();
    for (DiscoveredVm vm : discover()) {
      VmInfo.Builder info = VmInfo.newBuilder()
          .setVmmPid(Math.toIntExact(vm.pid()))
          .setVmIdentity(vm.uuid().orElse(""))
          .setName(vm.name().orElse(""));
      if (vm.qmpSocket().isPresent()) {
        Path socket = vm.qmpSocket().get();
        try (QmpClient qmp = QmpClient.connect(socket, qmpTimeout)) {
          info.addAllVcpuTids(vcpuThreadIds(qmp.execute("query-cpus-fast")));
          if (vm.uuid().isEmpty()) {
            info.setVmIdentity(uuidOf(qmp.execute("query-uuid")).orElse(""));
          }
        } catch (IOException | RuntimeException e) {
          log.warn("QEMU pid {}: QMP socket {} failed ({}); left out of this listing", vm.pid(),
              socket, e.getMessage());
          continue;
        }
      }
      result.add(info.build());
    }
    return result;
  }

  /** Thread ids from a {@code query-cpus-fast} reply, ordered by {@code cpu-index}. */
  public static List<Integer> vcpuThreadIds(JsonNode reply) throws IOException {
    TreeMap<Integer, Integer> byIndex = new TreeMap<>();
    for (JsonNode cpu : reply) {
      if (!cpu.path("cpu-index").canConvertToInt() || !cpu.path("thread-id").canConvertToInt()) {
        throw new IOException("query-cpus-fast: entry without cpu-index or thread-id: " + cpu);
      }
      byIndex.put(cpu.get("cpu-index").asInt(), cpu.get("thread-id").asInt());
    }
    return List.copyOf(byIndex.values());
  }

  private static Optional<String> uuidOf(JsonNode queryUuidReply) {
    String uuid = queryUuidReply.path("UUID").asText("").toLowerCase(Locale.ROOT);
    return uuid.isEmpty() || NIL_UUID.equals(uuid) ? Optional.empty() : Optional.of(uuid);
  }

  /** The pid a {@code /proc} entry names, or 0 for entries that are not processes. */
  private static long pidOf(String name) {
    if (name.isEmpty() || name.length() > 18) {
      return 0;
    }
    long pid = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
      pid = pid * 10 + (c - '0');
    }
    return pid;
  }

  private static boolean isQemu(Path pidDir) {
    try {
      if (Files.readString(pidDir.resolve("comm"), StandardCharsets.UTF_8).strip()
          .startsWith(BINARY_PREFIX)) {
        return true;
      }
    } catch (IOException e) {
      // Gone already, or not ours to read: it is not a VM we can list anyway.
      return false;
    }
    // comm can be renamed (prctl, or QEMU's -name ...,process=X); exe cannot.
    try {
      Path exe = Files.readSymbolicLink(pidDir.resolve("exe")).getFileName();
      return exe != null && exe.toString().startsWith(BINARY_PREFIX);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
