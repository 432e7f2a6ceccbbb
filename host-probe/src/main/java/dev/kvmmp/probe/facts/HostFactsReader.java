package dev.kvmmp.probe.facts;

import dev.kvmmp.proto.v1.HostFacts;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads what a KVM host is from its procfs, sysfs, securityfs and tracefs files, all relative to a
 * root directory so that tests can point it at a captured file tree. A fact that cannot be read
 * stays at its proto default (empty, 0, false); reading never throws for a missing file.
 *
 * <p>The counter sources ({@code sources}) are not filled here: they are found by trying them.
 */
public final class HostFactsReader {

  private final Path root;

  /**
   * @param root the file system root to read under: {@code /} in production, a fixture directory
   *             laid out like one in tests
   */
  public HostFactsReader(Path root) {
    this.root = root;
  }

  /** Reads the facts once; each call reads the files again. */
  public HostFacts read() {
    HostFacts.Builder facts = HostFacts.newBuilder();
    text("etc/machine-id").ifPresent(facts::setHostId);
    text("proc/sys/kernel/hostname").ifPresent(facts::setHostname);

    CpuIdentity cpu = CpuIdentity.parse(FactFiles.readLines(root.resolve("proc/cpuinfo")));
    facts.setCpuVendor(cpu.vendor())
        .setCpuModel(cpu.modelName())
        .setCpuFamily(cpu.family())
        .setCpuModelNumber(cpu.model())
        .setCpuStepping(cpu.stepping())
        .setMicrocode(cpu.microcode())
        .setCpuGeneration(
            CpuGenerations.of(cpu.vendor(), cpu.family(), cpu.model(), cpu.stepping()));
    text("sys/devices/system/cpu/online").flatMap(OnlineCpus::count).ifPresent(facts::setCpus);
    facts.setSmtActive(text("sys/devices/system/cpu/smt/active").filter("1"::equals).isPresent());

    String release = text("proc/sys/kernel/osrelease").orElse("");
    KernelCmdline cmdline = new KernelCmdline(text("proc/cmdline").orElse(""));
    Optional<KernelConfig> config = KernelConfig.find(root, release);
    facts.setKernelRelease(release)
        .setKernelCmdline(cmdline.text())
        .setTickMode(TickMode.detect(cmdline, config));
    text("sys/kernel/security/lockdown").flatMap(Lockdown::fromSecurityfs)
        // securityfs is often not mounted in minimal systems; the boot-time floor is then the
        // best evidence, and it is exact unless someone raised the level later.
        .or(() -> Lockdown.floor(cmdline, config))
        .ifPresent(facts::setLockdown);

    facts.addAllKvmParams(KvmParameters.read(root))
        .addAllTracepoints(KvmTracepoints.read(root));
    return facts.build();
  }

  private Optional<String> text(String relative) {
    return FactFiles.readTrimmed(root.resolve(relative));
  }
}
