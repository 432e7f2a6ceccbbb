package dev.kvmmp.probe.hostrun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.IpiHalt;
import dev.kvmmp.proto.v1.MicroVm;
import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.ProbeMessage;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The probe's host runs on this machine's real /dev/kvm, as the probe stream drives them: one at
 * a time, a cancel that ends the run with RunFailed, and no KVM object left behind.
 */
class HostRunsIT {

  private static final Path KVM = Path.of("/dev/kvm");

  @Test
  void refusesASecondRunCancelsTheFirstAndLeavesNoKvmFd() throws Exception {
    Assumptions.assumeTrue(Files.exists(KVM), "no /dev/kvm");
    LinkedBlockingQueue<ProbeMessage> sent = new LinkedBlockingQueue<>();
    try (HostRuns runs = new HostRuns(KVM)) {
      assertThat(runs.workloads()).containsExactly("ipi_halt");

      runs.start(longRun("r-long"), sent::add);
      ProbeMessage progress = next(sent);
      assertThat(progress.hasProgress()).as("progress while the VM runs: %s", progress).isTrue();

      runs.start(longRun("r-second"), sent::add);
      ProbeMessage refused = nextMatching(sent, m -> m.hasFailed()
          && m.getFailed().getRunId().equals("r-second"));
      assertThat(refused.getFailed().getReason())
          .contains("run r-long is still running here");

      runs.cancel("r-long");
      ProbeMessage cancelled = nextMatching(sent, m -> m.hasFailed()
          && m.getFailed().getRunId().equals("r-long"));
      assertThat(cancelled.getFailed().getReason()).contains("cancelled");
    }
    assertThat(kvmFds()).as("no VM, vCPU or stats fd left").isEmpty();
  }

  private static Run longRun(String id) {
    return Run.newBuilder().setId(id)
        .setWorkload(Workload.newBuilder().setName("ipi")
            .setPlacement(Placement.PLACEMENT_CROSS_CPU)
            .setIpiHalt(IpiHalt.newBuilder().setRoundTrips(5_000_000).setWarmupRoundTrips(0)))
        .setMicroVm(MicroVm.newBuilder().setHaltPollNs(0))
        .build();
  }

  private static ProbeMessage next(LinkedBlockingQueue<ProbeMessage> sent)
      throws InterruptedException {
    ProbeMessage message = sent.poll(30, TimeUnit.SECONDS);
    assertThat(message).as("a message from the host run within 30 s").isNotNull();
    return message;
  }

  private static ProbeMessage nextMatching(LinkedBlockingQueue<ProbeMessage> sent,
      Predicate<ProbeMessage> wanted) throws InterruptedException {
    while (true) {
      ProbeMessage message = next(sent);
      if (wanted.test(message)) {
        return message;
      }
    }
  }

  private static List<String> kvmFds() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString();
        } catch (IOException gone) {
          return "";
        }
      }).filter(target -> target.startsWith("anon_inode:kvm")).toList();
    }
  }
}
