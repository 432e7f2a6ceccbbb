package dev.kvmmp.cli.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.Condvar;
import dev.kvmmp.proto.v1.CondvarPrimitive;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.GuestProfile;
import dev.kvmmp.proto.v1.HostKnobs;
import dev.kvmmp.proto.v1.Memcache;
import dev.kvmmp.proto.v1.Order;
import dev.kvmmp.proto.v1.IpiHalt;
import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.TcpRrMode;
import dev.kvmmp.proto.v1.Wakeup;
import dev.kvmmp.proto.v1.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecFileReaderTest {

  private static final String SPECS = "src/test/resources/specs/";
  private static final Path QUICKSTART = Path.of("../seeds/quickstart/tcp_rr.yaml");

  private final SpecFileReader reader = new SpecFileReader();

  private List<String> problemsOf(String file) {
    SpecFileException e = catchThrowableOfType(SpecFileException.class,
        () -> reader.read(Path.of(SPECS + file)));
    assertThat(e).as("problems of " + file).isNotNull();
    assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
    return e.problems();
  }

  @Test
  void mapsAFullSpecOntoTheProto() throws Exception {
    ExperimentSpec expected = ExperimentSpec.newBuilder()
        .setName("halt-polling")
        .setDescription("Does guest halt polling help cross-vCPU wake-ups?")
        .addWorkloads(Workload.newBuilder().setName("rr-cross")
            .setPlacement(Placement.PLACEMENT_CROSS_CPU).addCpus(0).addCpus(1)
            .setTcpRr(TcpRr.newBuilder().setRequestBytes(64).setResponseBytes(1024)
                .setMode(TcpRrMode.TCP_RR_MODE_PROCESSES)))
        .addWorkloads(Workload.newBuilder().setPlacement(Placement.PLACEMENT_SAME_CPU)
            .setMemcache(Memcache.newBuilder().setKeys(5000).setGetPercent(0)))
        .addWorkloads(Workload.newBuilder()
            .setCondvar(Condvar.newBuilder().setPrimitive(CondvarPrimitive.CONDVAR_PRIMITIVE_PIPE)))
        .addWorkloads(Workload.newBuilder().setWakeup(Wakeup.newBuilder()
            .setMinDelay(Durations.fromMicros(50)).setMaxDelay(Durations.fromMicros(1500))))
        .addWorkloads(Workload.newBuilder().setTcpRr(TcpRr.getDefaultInstance()))
        .addFleets(Fleet.newBuilder().setName("poll-on")
            .putSelector("vcpus", "2").putSelector("host.kernel", "6.8").putSelector("pinned", "true")
            .setHostKnobs(HostKnobs.newBuilder().setHaltPollNs(200_000))
            .setGuestProfile(GuestProfile.newBuilder().setGuestHaltPollNs(50_000)
                .setGuestHaltPollAllowShrink(false).setCpuidleGovernor("haltpoll")
                .addDisabledIdleStates("HLT").addDisabledIdleStates("C1")))
        .addFleets(Fleet.newBuilder().setName("poll-off"))
        .setRepetitions(20)
        .setOrder(Order.ORDER_SEQUENTIAL)
        .setDuration(Durations.fromSeconds(10))
        .setWarmup(Durations.fromMillis(500))
        .build();

    ExperimentSpec spec = reader.read(Path.of(SPECS + "valid-full.yaml"));

    assertThat(spec).isEqualTo(expected);
    // Explicit zero and false are set, not merely default: presence is what the validator reads.
    assertThat(spec.getWorkloads(1).getMemcache().hasGetPercent()).isTrue();
    assertThat(spec.getFleets(0).getGuestProfile().hasGuestHaltPollAllowShrink()).isTrue();
  }

  @Test
  void readsTheQuickstartSeedWithoutProblems() throws Exception {
    ExperimentSpec spec = reader.read(QUICKSTART);

    assertThat(spec.getName()).isEqualTo("quickstart-tcp-rr");
    assertThat(spec.getWorkloadsList()).containsExactly(Workload.newBuilder()
        .setPlacement(Placement.PLACEMENT_UNPINNED)
        .setTcpRr(TcpRr.newBuilder().setRequestBytes(1).setResponseBytes(1))
        .build());
    assertThat(spec.getDuration()).isEqualTo(Durations.fromSeconds(5));
    assertThat(spec.getWarmup()).isEqualTo(Durations.fromSeconds(1));
    assertThat(spec.getRepetitions()).isEqualTo(3);
    assertThat(spec.getOrder()).isEqualTo(Order.ORDER_INTERLEAVED);
  }

  @Test
  void readsTheIpiHaltSeedWithItsTwoHaltPollingFleets() throws Exception {
    ExperimentSpec spec = reader.read(Path.of("../seeds/quickstart/ipi_halt.yaml"));

    assertThat(spec.getWorkloadsList()).containsExactly(Workload.newBuilder()
        .setPlacement(Placement.PLACEMENT_CROSS_CPU)
        .setIpiHalt(IpiHalt.newBuilder().setRoundTrips(5000).setWarmupRoundTrips(500))
        .build());
    assertThat(spec.getFleetsList()).extracting(f -> f.getName() + "="
        + f.getMicroVm().getHaltPollNs()).containsExactly("poll-off=0", "poll-on=200000");
    assertThat(spec.getFleets(0).getMicroVm().hasHaltPollNs()).isTrue();
  }

  @Test
  void pointsAtTheValueInTheQuickstartWhenRequestBytesIsZero(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("seeds/quickstart/tcp_rr.yaml");
    Files.createDirectories(broken.getParent());
    List<String> lines = Files.readAllLines(QUICKSTART);
    assertThat(lines.get(6)).isEqualTo("    request_bytes: 1");
    lines.set(6, "    request_bytes: 0");
    Files.write(broken, lines);

    assertThatThrownBy(() -> reader.read(broken))
        .isInstanceOf(SpecFileException.class)
        .hasMessage(broken + ":7:20: workloads[0].tcp_rr.request_bytes: 0 is below the minimum 1");
  }

  @Test
  void reportsAYamlSyntaxErrorAlone() {
    assertThat(problemsOf("syntax-error.yaml")).containsExactly(SPECS + "syntax-error.yaml:4:9: "
        + "YAML syntax error: expected ',' or '}', but got : (while parsing a flow mapping at 3:13)");
  }

  @Test
  void reportsAnUnknownFieldAtItsKeyWithTheKnownOnes() {
    assertThat(problemsOf("unknown-field.yaml")).containsExactly(SPECS + "unknown-field.yaml:5:7: "
        + "workloads[0].tcp_rr.respons_bytes: unknown field (known: request_bytes, response_bytes, mode)");
  }

  @Test
  void reportsAnUnknownWorkloadKindInsteadOfAMissingKind() {
    assertThat(problemsOf("unknown-workload.yaml")).containsExactly(SPECS + "unknown-workload.yaml:3:5: "
        + "workloads[0].fio: unknown workload 'fio' (known: tcp_rr, memcache, condvar, wakeup, ipi_halt)");
  }

  @Test
  void reportsAMissingTopLevelFieldAtTheStartOfTheFile() {
    assertThat(problemsOf("missing-duration.yaml"))
        .containsExactly(SPECS + "missing-duration.yaml:1:1: duration: missing (required)");
  }

  @Test
  void reportsAMissingNestedFieldAtTheMappingThatShouldHoldIt() {
    assertThat(problemsOf("fleet-without-name.yaml"))
        .containsExactly(SPECS + "fleet-without-name.yaml:5:5: fleets[0].name: missing (required)");
  }

  @Test
  void rejectsAZeroDuration() {
    assertThat(problemsOf("duration-zero.yaml"))
        .containsExactly(SPECS + "duration-zero.yaml:4:11: duration: 0s must be above 0");
  }

  @Test
  void rejectsADurationAboveAnHour() {
    assertThat(problemsOf("duration-over-hour.yaml"))
        .containsExactly(SPECS + "duration-over-hour.yaml:4:11: duration: 2h is above the maximum 1h");
  }

  @Test
  void rejectsAPayloadAboveOneMebibyte() {
    assertThat(problemsOf("payload-over-1mib.yaml")).containsExactly(SPECS + "payload-over-1mib.yaml:4:23: "
        + "workloads[0].tcp_rr.response_bytes: 2000000 is above the maximum 1048576 (1 MiB)");
  }

  @Test
  void rejectsMoreThanTenThousandRepetitions() {
    assertThat(problemsOf("repetitions-over-limit.yaml")).containsExactly(
        SPECS + "repetitions-over-limit.yaml:4:14: repetitions: 10001 is above the maximum 10000");
  }

  @Test
  void rejectsZeroRequestBytes() {
    assertThat(problemsOf("request-bytes-zero.yaml")).containsExactly(SPECS + "request-bytes-zero.yaml:4:22: "
        + "workloads[0].tcp_rr.request_bytes: 0 is below the minimum 1");
  }

  @Test
  void rejectsAnUnknownEnumValueListingTheChoices() {
    assertThat(problemsOf("bad-enum.yaml")).containsExactly(SPECS + "bad-enum.yaml:4:16: "
        + "workloads[0].placement: 'sideways' is not one of: unpinned, same-cpu, cross-cpu");
  }

  @Test
  void rejectsADurationItCannotReadWithoutAlsoCallingItMissing() {
    assertThat(problemsOf("bad-duration.yaml")).containsExactly(SPECS + "bad-duration.yaml:4:11: "
        + "duration: '10 parsecs' is not a duration (examples: 500us, 250ms, 10s, 2m, 1h)");
  }

  @Test
  void reportsEveryProblemOfAFileInFileOrder() {
    assertThat(problemsOf("two-problems.yaml")).containsExactly(
        SPECS + "two-problems.yaml:4:22: workloads[0].tcp_rr.request_bytes: 0 is below the minimum 1",
        SPECS + "two-problems.yaml:7:7: workloads[1].memcache.value_size: "
            + "unknown field (known: keys, key_bytes, value_bytes, get_percent)");
  }

  @Test
  void rejectsAWorkloadWithTwoKinds() {
    assertThat(problemsOf("two-kinds.yaml")).containsExactly(SPECS + "two-kinds.yaml:4:5: "
        + "workloads[0]: tcp_rr and memcache both set; a workload has exactly one kind");
  }

  @Test
  void rejectsADuplicateKey() {
    assertThat(problemsOf("duplicate-key.yaml"))
        .containsExactly(SPECS + "duplicate-key.yaml:5:1: name: duplicate key (first at 1:1)");
  }

  @Test
  void namesTheExpectedKindOfNode() {
    assertThat(problemsOf("wrong-kinds.yaml")).containsExactly(
        SPECS + "wrong-kinds.yaml:1:7: name: expected a single value, got a list",
        SPECS + "wrong-kinds.yaml:2:12: workloads: expected a list, got a single value",
        SPECS + "wrong-kinds.yaml:5:15: fleets[0].selector: expected a mapping, got a single value");
  }

  @Test
  void acceptsOnlyWholeNumbersInTheFieldsRange() {
    assertThat(problemsOf("bad-numbers.yaml")).containsExactly(
        SPECS + "bad-numbers.yaml:4:12: workloads[0].cpus[0]: -1 is below the minimum 0",
        SPECS + "bad-numbers.yaml:6:22: workloads[0].tcp_rr.request_bytes: 'abc' is not a whole number",
        SPECS + "bad-numbers.yaml:7:23: workloads[0].tcp_rr.response_bytes: '1.5' is not a whole number",
        SPECS + "bad-numbers.yaml:8:14: repetitions: 4294967296 is above the maximum 4294967295");
  }

  @Test
  void pointsValidatorProblemsAtWhatTheFileWrote() {
    assertThat(problemsOf("validator-positions.yaml")).containsExactly(
        SPECS + "validator-positions.yaml:4:11: workloads[0].cpus: cross-cpu takes 2 different vCPUs, got [1, 1]",
        SPECS + "validator-positions.yaml:8:16: fleets[0].selector['bad key']: "
            + "label key may only contain letters, digits, '.', '_', '/' and '-'",
        SPECS + "validator-positions.yaml:9:11: fleets[1].name: 'a' is already the name of fleets[0]");
  }

  @Test
  void rejectsAnEmptyFile() {
    assertThat(problemsOf("empty.yaml")).containsExactly(SPECS + "empty.yaml:1:1: "
        + "the file is empty; a spec needs at least name, workloads and duration");
  }

  @Test
  void rejectsATopLevelThatIsNotAMapping() {
    assertThat(problemsOf("top-level-list.yaml")).containsExactly(SPECS + "top-level-list.yaml:1:1: "
        + "expected a mapping of spec fields (name, workloads, duration, ...), got a list");
  }

  @Test
  void rejectsAliasesRatherThanMisreadingThem() {
    assertThat(problemsOf("alias.yaml")).containsExactly(SPECS + "alias.yaml:2:14: "
        + "YAML aliases (*n) are not supported in spec files; write the value out");
  }

  @Test
  void namesTheFileItCannotRead() {
    Path missing = Path.of(SPECS + "no-such-spec.yaml");
    assertThatThrownBy(() -> reader.read(missing))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot read spec file " + missing + ": no such file");
  }
}
