package dev.kvmmp.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.Condvar;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.GuestProfile;
import dev.kvmmp.proto.v1.IpiHalt;
import dev.kvmmp.proto.v1.Memcache;
import dev.kvmmp.proto.v1.MicroVm;
import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.Wakeup;
import dev.kvmmp.proto.v1.Workload;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ExperimentSpecValidatorTest {

  private static final Workload TCP_RR = Workload.newBuilder().setTcpRr(TcpRr.getDefaultInstance()).build();

  private static ExperimentSpec.Builder valid() {
    return ExperimentSpec.newBuilder()
        .setName("quickstart")
        .addWorkloads(TCP_RR)
        .setDuration(Durations.fromSeconds(5));
  }

  private static List<String> problems(ExperimentSpec.Builder spec) {
    return ExperimentSpecValidator.validate(spec.build()).stream().map(SpecViolation::toString).toList();
  }

  private static List<String> problemsOfWorkload(UnaryOperator<Workload.Builder> change) {
    return problems(valid().setWorkloads(0, change.apply(TCP_RR.toBuilder())));
  }

  private static List<String> problemsOfFleets(Fleet.Builder... fleets) {
    ExperimentSpec.Builder spec = valid();
    for (Fleet.Builder fleet : fleets) {
      spec.addFleets(fleet);
    }
    return problems(spec);
  }

  @Test
  void acceptsAMinimalSpec() {
    assertThat(problems(valid())).isEmpty();
  }

  @Test
  void acceptsEveryFieldAtItsLimits() {
    ExperimentSpec.Builder spec = valid()
        .setName("n".repeat(128))
        .setRepetitions(10_000)
        .setDuration(Durations.fromHours(1))
        .setWarmup(Durations.ZERO)
        .setWorkloads(0, Workload.newBuilder().setPlacement(Placement.PLACEMENT_CROSS_CPU)
            .addCpus(0).addCpus(4095)
            .setTcpRr(TcpRr.newBuilder().setRequestBytes(1).setResponseBytes(1 << 20)))
        .addWorkloads(Workload.newBuilder().setPlacement(Placement.PLACEMENT_SAME_CPU).addCpus(3)
            .setMemcache(Memcache.newBuilder().setKeys(1_000_000).setKeyBytes(250)
                .setValueBytes(1 << 20).setGetPercent(0)))
        .addWorkloads(Workload.newBuilder().setCondvar(Condvar.getDefaultInstance()))
        .addWorkloads(Workload.newBuilder().setWakeup(Wakeup.newBuilder()
            .setMinDelay(Durations.fromSeconds(1)).setMaxDelay(Durations.fromSeconds(1))))
        .addFleets(Fleet.newBuilder().setName("a-Z_0.9".repeat(10).substring(0, 64))
            .putSelector("host.kubernetes.io/zone-1", "v".repeat(256))
            .setGuestProfile(GuestProfile.newBuilder().setCpuidleGovernor("haltpoll")
                .addDisabledIdleStates("HLT")));
    assertThat(problems(spec)).isEmpty();
  }

  @Test
  void reportsEveryMissingRequiredField() {
    assertThat(problems(ExperimentSpec.newBuilder())).containsExactly(
        "name: missing (required)",
        "workloads: missing (required)",
        "duration: missing (required)");
  }

  @Test
  void limitsTheNameAndTheNumberOfWorkloadsAndFleets() {
    ExperimentSpec.Builder spec = valid().setName("n".repeat(129));
    for (int i = 0; i < 64; i++) {
      spec.addWorkloads(TCP_RR);
      spec.addFleets(Fleet.newBuilder().setName("f" + i));
    }
    spec.addFleets(Fleet.newBuilder().setName("one-too-many"));
    assertThat(problems(spec)).containsExactly(
        "name: 129 characters, above the maximum 128",
        "workloads: 65 entries, above the maximum 64",
        "fleets: 65 entries, above the maximum 64");
  }

  @Test
  void reportsAWorkloadWithoutKind() {
    assertThat(problems(valid().addWorkloads(Workload.newBuilder().setName("nothing"))))
        .containsExactly("workloads[1]: no workload kind set (one of: tcp_rr, memcache, condvar, wakeup, ipi_halt)");
  }

  @Test
  void boundsRepetitions() {
    assertThat(problems(valid().setRepetitions(10_001)))
        .containsExactly("repetitions: 10001 is above the maximum 10000");
    assertThat(problems(valid().setRepetitions(0)))
        .containsExactly("repetitions: 0 is below the minimum 1");
  }

  @Test
  void readsRepetitionsAsUnsigned() {
    assertThat(problems(valid().setRepetitions(-1))).containsExactly(
        "repetitions: 4294967295 is above the maximum 10000",
        "1 workload x 1 fleet x 4294967295 repetitions = 4294967295 runs, above the maximum 100000");
  }

  @Test
  void boundsTcpRrPayloads() {
    assertThat(problemsOfWorkload(w -> w.setTcpRr(TcpRr.newBuilder().setRequestBytes(0).setResponseBytes(2_000_000))))
        .containsExactly(
            "workloads[0].tcp_rr.request_bytes: 0 is below the minimum 1",
            "workloads[0].tcp_rr.response_bytes: 2000000 is above the maximum 1048576 (1 MiB)");
  }

  @Test
  void boundsMemcacheParameters() {
    assertThat(problemsOfWorkload(w -> w.setMemcache(Memcache.newBuilder()
        .setKeys(1_000_001).setKeyBytes(251).setValueBytes(0).setGetPercent(101))))
        .containsExactly(
            "workloads[0].memcache.keys: 1000001 is above the maximum 1000000",
            "workloads[0].memcache.key_bytes: 251 is above the maximum 250",
            "workloads[0].memcache.value_bytes: 0 is below the minimum 1",
            "workloads[0].memcache.get_percent: 101 is above the maximum 100");
    assertThat(problemsOfWorkload(w -> w.setMemcache(Memcache.newBuilder().setKeys(0).setValueBytes(1_048_577))))
        .containsExactly(
            "workloads[0].memcache.keys: 0 is below the minimum 1",
            "workloads[0].memcache.value_bytes: 1048577 is above the maximum 1048576 (1 MiB)");
  }

  @Test
  void refusesMemcacheKeysTooShortToTellTheKeysApart() {
    assertThat(problemsOfWorkload(w -> w.setMemcache(Memcache.newBuilder().setKeyBytes(3))))
        .containsExactly("workloads[0].memcache.key_bytes: 3 is too short for 1000 keys: a key "
            + "is 'k' and a zero-padded index, so key_bytes must be at least 4");
    assertThat(problemsOfWorkload(w -> w.setMemcache(Memcache.newBuilder().setKeyBytes(4))))
        .isEmpty();
    assertThat(problemsOfWorkload(w -> w.setMemcache(Memcache.newBuilder().setKeys(1)
        .setKeyBytes(1)))).as("one key needs no index").isEmpty();
  }

  @Test
  void requiresAPositiveDurationOfAtMostAnHour() {
    assertThat(problems(valid().setDuration(Durations.ZERO))).containsExactly("duration: 0s must be above 0");
    assertThat(problems(valid().setDuration(Durations.fromMillis(-1500))))
        .containsExactly("duration: -1.5s must be above 0");
    assertThat(problems(valid().setDuration(Durations.fromHours(2))))
        .containsExactly("duration: 2h is above the maximum 1h");
  }

  @Test
  void boundsWarmupWhenSet() {
    assertThat(problems(valid().setWarmup(Durations.fromSeconds(-1))))
        .containsExactly("warmup: -1s is below the minimum 0s");
    assertThat(problems(valid().setWarmup(Durations.fromMinutes(61))))
        .containsExactly("warmup: 1h1m is above the maximum 1h");
  }

  @Test
  void rejectsADurationThatBreaksTheProtoRules() {
    assertThat(problems(valid().setDuration(Duration.newBuilder().setSeconds(1).setNanos(-5))))
        .containsExactly("duration: not a valid duration (seconds 1, nanos -5)");
  }

  @Test
  void boundsWakeupDelays() {
    assertThat(problemsOfWorkload(w -> w.setWakeup(Wakeup.newBuilder()
        .setMinDelay(Durations.ZERO).setMaxDelay(Durations.fromMillis(1001)))))
        .containsExactly(
            "workloads[0].wakeup.min_delay: 0s must be above 0",
            "workloads[0].wakeup.max_delay: 1.001s is above the maximum 1s");
  }

  @Test
  void boundsIpiHaltRoundTrips() {
    assertThat(problemsOfWorkload(w -> w.setPlacement(Placement.PLACEMENT_CROSS_CPU)
        .setIpiHalt(IpiHalt.newBuilder().setRoundTrips(99).setWarmupRoundTrips(10_000_001))))
        .containsExactly(
            "workloads[0].ipi_halt.round_trips: 99 is below the minimum 100",
            "workloads[0].ipi_halt.warmup_round_trips: 10000001 is above the maximum 10000000");
    assertThat(problemsOfWorkload(w -> w.setPlacement(Placement.PLACEMENT_SAME_CPU)
        .setIpiHalt(IpiHalt.newBuilder().setRoundTrips(-1))))
        .as("read as unsigned")
        .containsExactly(
            "workloads[0].ipi_halt.round_trips: 4294967295 is above the maximum 10000000");
    assertThat(problemsOfWorkload(w -> w.setPlacement(Placement.PLACEMENT_CROSS_CPU)
        .addCpus(2).addCpus(3)
        .setIpiHalt(IpiHalt.newBuilder().setRoundTrips(100).setWarmupRoundTrips(0))))
        .isEmpty();
  }

  @Test
  void refusesUnpinnedIpiHaltButDefaultsAnUnsetPlacement() {
    assertThat(problemsOfWorkload(w -> w.setPlacement(Placement.PLACEMENT_UNPINNED)
        .setIpiHalt(IpiHalt.getDefaultInstance())))
        .containsExactly("workloads[0].placement: unpinned is not a placement of ipi_halt: its "
            + "two vCPU threads are pinned to host CPUs, use same-cpu or cross-cpu");
    assertThat(problemsOfWorkload(w -> w.setIpiHalt(IpiHalt.getDefaultInstance()))).isEmpty();
  }

  @Test
  void boundsAFleetsMicroVmHaltPolling() {
    assertThat(problemsOfFleets(
        Fleet.newBuilder().setName("off").setMicroVm(MicroVm.newBuilder().setHaltPollNs(0)),
        Fleet.newBuilder().setName("huge")
            .setMicroVm(MicroVm.newBuilder().setHaltPollNs(1_000_000_001L))))
        .containsExactly(
            "fleets[1].micro_vm.halt_poll_ns: 1000000001 is above the maximum 1000000000");
    assertThat(problemsOfFleets(Fleet.newBuilder().setName("neg")
        .setMicroVm(MicroVm.newBuilder().setHaltPollNs(-1))))
        .as("read as unsigned")
        .containsExactly("fleets[0].micro_vm.halt_poll_ns: 18446744073709551615 is above the "
            + "maximum 1000000000");
  }

  @Test
  void requiresMinDelayAtMostMaxDelay() {
    assertThat(problemsOfWorkload(w -> w.setWakeup(Wakeup.newBuilder()
        .setMinDelay(Durations.fromMicros(50)).setMaxDelay(Durations.fromMicros(10)))))
        .containsExactly("workloads[0].wakeup.max_delay: 10us is below min_delay 50us");
  }

  @Test
  void comparesASingleDelayWithTheOthersDefault() {
    assertThat(problemsOfWorkload(w -> w.setWakeup(Wakeup.newBuilder().setMinDelay(Durations.fromMicros(800)))))
        .containsExactly("workloads[0].wakeup.min_delay: 800us is above max_delay 500us (the default)");
    assertThat(problemsOfWorkload(w -> w.setWakeup(Wakeup.newBuilder().setMaxDelay(Durations.fromMicros(10)))))
        .containsExactly("workloads[0].wakeup.max_delay: 10us is below min_delay 50us (the default)");
  }

  @Test
  void matchesCpusToPlacement() {
    assertThat(problemsOfWorkload(w -> w.addCpus(1))).containsExactly(
        "workloads[0].cpus: unpinned takes no vCPUs (use same-cpu or cross-cpu to pin), got [1]");
    assertThat(problemsOfWorkload(w -> w.setPlacement(Placement.PLACEMENT_SAME_CPU).addCpus(1).addCpus(2)))
        .containsExactly("workloads[0].cpus: same-cpu takes 1 vCPU, got [1, 2]");
    assertThat(problemsOfWorkload(w -> w.setPlacement(Placement.PLACEMENT_CROSS_CPU).addCpus(1).addCpus(1)))
        .containsExactly("workloads[0].cpus: cross-cpu takes 2 different vCPUs, got [1, 1]");
    assertThat(problemsOfWorkload(w -> w.setPlacement(Placement.PLACEMENT_CROSS_CPU).addCpus(1)))
        .containsExactly("workloads[0].cpus: cross-cpu takes 2 different vCPUs, got [1]");
    assertThat(problemsOfWorkload(w -> w.setPlacement(Placement.PLACEMENT_SAME_CPU)))
        .isEmpty();
    assertThat(problemsOfWorkload(w -> w.setPlacement(Placement.PLACEMENT_SAME_CPU).addCpus(4096)))
        .containsExactly("workloads[0].cpus[0]: 4096 is above the maximum 4095");
  }

  @Test
  void rejectsEnumNumbersItDoesNotKnow() {
    assertThat(problemsOfWorkload(w -> w.setPlacementValue(7))).containsExactly(
        "workloads[0].placement: 7 is not one of: unpinned, same-cpu, cross-cpu");
    assertThat(problems(valid().setOrderValue(9)))
        .containsExactly("order: 9 is not one of: interleaved, sequential");
  }

  @Test
  void requiresFleetNames() {
    assertThat(problemsOfFleets(
        Fleet.newBuilder(),
        Fleet.newBuilder().setName("has space"),
        Fleet.newBuilder().setName("x".repeat(65)))).containsExactly(
            "fleets[0].name: missing (required)",
            "fleets[1].name: 'has space' may only contain letters, digits, '.', '_' and '-'",
            "fleets[2].name: 65 characters, above the maximum 64");
  }

  @Test
  void requiresUniqueFleetNames() {
    assertThat(problemsOfFleets(Fleet.newBuilder().setName("a"), Fleet.newBuilder().setName("a")))
        .containsExactly("fleets[1].name: 'a' is already the name of fleets[0]");
  }

  @Test
  void checksSelectorLabels() {
    assertThat(problemsOfFleets(Fleet.newBuilder().setName("a")
        .putSelector("", "x")
        .putSelector("bad key", "x")
        .putSelector("k".repeat(129), "x")
        .putSelector("vcpus", "2".repeat(257)))).containsExactly(
            "fleets[0].selector['']: empty label key",
            "fleets[0].selector['bad key']: label key may only contain letters, digits, '.', '_', '/' and '-'",
            "fleets[0].selector['" + "k".repeat(129) + "']: label key of 129 characters, above the maximum 128",
            "fleets[0].selector['vcpus']: label value of 257 characters, above the maximum 256");
  }

  @Test
  void checksGuestProfile() {
    assertThat(problemsOfFleets(Fleet.newBuilder().setName("a")
        .setGuestProfile(GuestProfile.newBuilder().setCpuidleGovernor("Menu")
            .addDisabledIdleStates("HLT").addDisabledIdleStates("")))).containsExactly(
                "fleets[0].guest_profile.cpuidle_governor: 'Menu' is not a cpuidle governor name"
                    + " (lower-case letters and '_', e.g. menu, haltpoll)",
                "fleets[0].guest_profile.disabled_idle_states[1]: empty (a cpuidle state name, e.g. HLT)");
  }

  @Test
  void limitsTheTotalNumberOfRuns() {
    ExperimentSpec.Builder spec = valid().clearWorkloads().setRepetitions(10_000);
    for (int i = 0; i < 64; i++) {
      spec.addWorkloads(TCP_RR);
      spec.addFleets(Fleet.newBuilder().setName("f" + i));
    }
    List<SpecViolation> violations = ExperimentSpecValidator.validate(spec.build());
    assertThat(violations).containsExactly(new SpecViolation("",
        "64 workloads x 64 fleets x 10000 repetitions = 40960000 runs, above the maximum 100000"));
    assertThat(violations.get(0).toString())
        .isEqualTo("64 workloads x 64 fleets x 10000 repetitions = 40960000 runs, above the maximum 100000");
  }

  @Test
  void countsNoFleetsAsOne() {
    ExperimentSpec.Builder spec = valid().clearWorkloads().setRepetitions(10_000);
    for (int i = 0; i < 10; i++) {
      spec.addWorkloads(TCP_RR);
    }
    assertThat(problems(spec)).isEmpty();
    assertThat(problems(spec.addWorkloads(TCP_RR)))
        .containsExactly("11 workloads x 1 fleet x 10000 repetitions = 110000 runs, above the maximum 100000");
  }
}
