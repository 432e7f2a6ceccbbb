package dev.kvmmp.worker.facts;

import dev.kvmmp.proto.v1.GuestFacts;
import dev.kvmmp.worker.knobs.KnobInventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Gathers the {@link GuestFacts} of the VM this worker runs in from procfs, sysfs, /etc, the
 * kernel config and the boot log. Every path is resolved under a root directory so that tests
 * can point the reader at a captured copy of a guest's files.
 *
 * <p>A fact that cannot be read stays at its proto default; {@link #read()} never throws for a
 * missing or unreadable file. Which hypervisor: the "hypervisor" CPU flag only says that there
 * is one, and /proc/cpuinfo shows no portable KVM marker, so the name comes from the boot log's
 * "Hypervisor detected: ..." line; with the flag but without that line it is "unknown".
 */
public final class GuestFactsReader {

  private static final String CPU = "sys/devices/system/cpu/";
  private static final Pattern STATE_DIR = Pattern.compile("state(\\d+)");

  private final Path root;
  private final BootLog bootLog;

  /** Reads the facts of the running system below {@code root}, boot log from {@code dmesg}. */
  public GuestFactsReader(Path root) {
    this(root, new DmesgBootLog());
  }

  /** Reads the facts below {@code root}, boot log from {@code bootLog}. */
  public GuestFactsReader(Path root, BootLog bootLog) {
    this.root = root;
    this.bootLog = bootLog;
  }

  /** Reads every fact it can; cheap (a few dozen small files and one dmesg run). */
  public GuestFacts read() {
    GuestFacts.Builder facts = GuestFacts.newBuilder();

    String hostname = text("proc/sys/kernel/hostname");
    facts.setHostname(hostname);
    VmIdentity identity = VmIdentity.resolve(root, hostname);
    facts.setVmIdentity(identity.value()).setVmIdentitySource(identity.source());

    Optional<CpuInfo> cpuInfo = CpuInfo.read(root.resolve("proc/cpuinfo"));
    int vcpus = CpuList.read(root.resolve(CPU + "online")).map(CpuList::count)
        .orElse(cpuInfo.map(CpuInfo::processors).orElse(0));
    facts.setVcpus(vcpus);
    cpuInfo.ifPresent(info -> facts.setCpuModel(info.modelName()).addAllCpuFlags(info.flags())
        .setCpuVendor(info.vendor()).setCpuFamily(info.family())
        .setCpuModelNumber(info.model()).setCpuStepping(info.stepping())
        .setMicrocode(info.microcode()));
    boolean underHypervisor = facts.getCpuFlagsList().contains("hypervisor");

    String release = text("proc/sys/kernel/osrelease");
    String cmdlineText = text("proc/cmdline");
    KernelCmdline cmdline = KernelCmdline.parse(cmdlineText);
    facts.setKernelRelease(release).setKernelCmdline(cmdlineText);

    BootLogFacts boot = BootLogFacts.parse(bootLog.lines());
    facts.setUnderHypervisor(underHypervisor)
        .setHypervisor(!boot.hypervisor().isEmpty() ? boot.hypervisor()
            : underHypervisor ? "unknown" : "")
        .addAllPvFeatures(boot.pvFeatures());

    TickMode tick = TickMode.detect(CpuList.read(root.resolve(CPU + "nohz_full")), cmdline,
        KernelConfig.find(root, release));
    facts.setTickMode(tick.mode()).setNohzFullCpus(tick.nohzFullCpus());
    facts.setIdleParam(cmdline.value("idle").orElse(""));

    facts.setCpuidleDriver(text(CPU + "cpuidle/current_driver"));
    // Older kernels expose only current_governor_ro unless booted with cpuidle_sysfs_switch.
    facts.setCpuidleGovernor(FactFiles.readTrimmed(root.resolve(CPU + "cpuidle/current_governor"))
        .orElse(text(CPU + "cpuidle/current_governor_ro")));
    facts.addAllCpuidleStates(cpuidleStates(root.resolve(CPU + "cpu0/cpuidle")));
    facts.putAllHaltpollParams(parameters(root.resolve("sys/module/haltpoll/parameters")));
    facts.setClocksource(text("sys/devices/system/clocksource/clocksource0/current_clocksource"));
    facts.addAllGuestKnobs(new KnobInventory(root).available());
    return facts.build();
  }

  private String text(String relative) {
    return FactFiles.readTrimmed(root.resolve(relative)).orElse("");
  }

  // stateN directories in N order: a listing is unordered and state10 sorts before state2.
  private static List<String> cpuidleStates(Path cpuidleDir) {
    Map<Integer, String> names = new TreeMap<>();
    for (Path dir : list(cpuidleDir)) {
      Matcher m = STATE_DIR.matcher(dir.getFileName().toString());
      if (m.matches()) {
        FactFiles.readTrimmed(dir.resolve("name"))
            .ifPresent(name -> names.put(Integer.parseInt(m.group(1)), name));
      }
    }
    return List.copyOf(names.values());
  }

  private static Map<String, String> parameters(Path dir) {
    Map<String, String> params = new TreeMap<>();
    for (Path file : list(dir)) {
      FactFiles.readTrimmed(file)
          .ifPresent(value -> params.put(file.getFileName().toString(), value));
    }
    return params;
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.sorted(Comparator.naturalOrder()).toList();
    } catch (IOException | SecurityException e) {
      return List.of();
    }
  }
}
