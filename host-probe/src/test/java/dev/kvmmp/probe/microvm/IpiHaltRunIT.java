package dev.kvmmp.probe.microvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ipi_halt micro-VM on the real /dev/kvm: what must hold on any KVM host, and that every VM,
 * fd and thread is gone after a run, also one that fails.
 */
class IpiHaltRunIT {

  private static final int ROUND_TRIPS = 2000;
  private static final int WARMUP = 500;
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @BeforeAll
  static void kvmPresent() {
    assumeTrue(Files.isWritable(Path.of("/dev/kvm")), "needs a writable /dev/kvm");
  }

  @Test
  void crossCpuRoundTripsAreFasterWithHaltPollingAndPollsSucceed() throws Exception {
    assumeTrue(CpuAffinity.allowedCpus().size() >= 2, "needs two host CPUs");
    IpiHaltResult off = run(0, Placement.DIFFERENT_CPUS);
    IpiHaltResult on = run(200_000, Placement.DIFFERENT_CPUS);

    assertThat(on.roundTripNs().getValueAtPercentile(50))
        .isLessThan(off.roundTripNs().getValueAtPercentile(50));
    assertThat(on.roundTrips()).isEqualTo(ROUND_TRIPS);
    for (int vcpu = 0; vcpu < 2; vcpu++) {
      assertThat(off.perRoundTrip(vcpu, "halt_exits").orElseThrow()).isBetween(0.9, 1.1);
      assertThat(on.perRoundTrip(vcpu, "halt_exits").orElseThrow()).isBetween(0.9, 1.1);
    }
    assertThat(off.perRoundTrip("halt_successful_poll").orElseThrow()).isLessThan(0.02);
    // Summed over both vCPUs: KVM abandons a poll when another task wants the host CPU, so on a
    // shared host some polls fail, yet most round trips must still have a wake-up caught.
    assertThat(on.perRoundTrip("halt_successful_poll").orElseThrow()).isGreaterThan(0.5);
    assertThat(on.perRoundTrip("halt_poll_success_ns").orElseThrow()).isGreaterThan(0);
  }

  @Test
  void countsTwoIcrWritesPerRoundTripWhereTracepointsCount() throws Exception {
    IpiHaltResult result = run(0, Placement.SAME_CPU);
    assumeTrue(result.events().containsKey("kvm_msr:ICR"), "kvm:kvm_msr not countable here: "
        + result.notes());
    assertThat(result.eventPerRoundTrip("kvm_msr:ICR").orElseThrow()).isBetween(1.95, 2.05);
    assertThat(result.batches()).isNotEmpty();
    assertThat(result.hostNsPerRoundTrip()).isGreaterThan(0);
  }

  @Test
  void guestThatNeverAnswersFailsAtTheDeadlineWithVcpuStatesAndLeavesNothing() throws Exception {
    int fds = openFds();
    int threads = Thread.activeCount();
    // B's vector now lands on a bare iret: B wakes, never answers, A halts for ever.
    IpiHaltRun mute = new IpiHaltRun(IpiHaltSettings.of(0, Placement.DIFFERENT_CPUS, 100, 0,
        Duration.ofSeconds(2)), memory -> IpiHaltGuest.setVector(memory,
            IpiHaltGuest.B_VECTOR, IpiHaltGuest.IGNORE_IRQ));

    assertThatThrownBy(() -> mute.run(p -> { }))
        .isInstanceOfSatisfying(IpiHaltException.class, e -> {
          assertThat(e).hasMessageContaining("deadline");
          assertThat(e.states()).hasSize(2);
          assertThat(e.states().get(0).mpState()).isEqualTo(3); // A halted, waiting
        });
    // Other things in this JVM may close fds meanwhile; a leak can only add.
    assertThat(openFds()).isLessThanOrEqualTo(fds);
    assertThat(Thread.activeCount()).isLessThanOrEqualTo(threads);
    assertThat(kvmFdsOfThisProcess()).isEmpty();
  }

  @Test
  void finishedRunLeavesNoFdNorThread() throws Exception {
    int fds = openFds();
    int threads = Thread.activeCount();
    run(200_000, Placement.SAME_CPU);
    // Other things in this JVM may close fds meanwhile; a leak can only add.
    assertThat(openFds()).isLessThanOrEqualTo(fds);
    assertThat(Thread.activeCount()).isLessThanOrEqualTo(threads);
    assertThat(kvmFdsOfThisProcess()).isEmpty();
  }

  @Test
  void cancelStopsARunningVm() throws Exception {
    IpiHaltRun run = new IpiHaltRun(IpiHaltSettings.of(0, Placement.SAME_CPU, 5_000_000, 0,
        DEADLINE));
    List<IpiHaltProgress> seen = new ArrayList<>();
    assertThatThrownBy(() -> run.run(p -> {
      seen.add(p);
      run.cancel();
    })).isInstanceOf(IpiHaltException.class).hasMessageContaining("cancelled");
    assertThat(seen).isNotEmpty();
    assertThat(kvmFdsOfThisProcess()).isEmpty();
  }

  private static IpiHaltResult run(long pollNs, Placement placement) throws KvmException {
    return new IpiHaltRun(IpiHaltSettings.of(pollNs, placement, ROUND_TRIPS, WARMUP, DEADLINE))
        .run(p -> { });
  }

  private static int openFds() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return (int) fds.count();
    }
  }

  /** Links of our fds that point at KVM objects (anon inodes kvm-vm, kvm-vcpu, stats). */
  private static List<String> kvmFdsOfThisProcess() throws IOException {
    List<String> kvm = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("anon_inode:kvm") || target.equals("/dev/kvm")) {
            kvm.add(fd + " -> " + target);
          }
        } catch (IOException gone) {
          // the directory listing's own fd, closed by now
        }
      }
    }
    return kvm;
  }
}
