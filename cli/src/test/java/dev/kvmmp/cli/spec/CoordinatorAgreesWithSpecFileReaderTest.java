package dev.kvmmp.cli.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvmmp.coordinator.Coordinator;
import dev.kvmmp.proto.v1.ExperimentSpec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A spec that gets past the CLI some other way (another client, an old CLI) meets the same
 * checks at the coordinator: INVALID_ARGUMENT with exactly the CLI's description, less the file
 * location.
 */
class CoordinatorAgreesWithSpecFileReaderTest {

  private static final Path SPECS = Path.of("src/test/resources/specs");

  @ParameterizedTest
  @ValueSource(strings = {"duration-zero.yaml", "duration-over-hour.yaml",
      "payload-over-1mib.yaml", "repetitions-over-limit.yaml", "request-bytes-zero.yaml",
      "missing-duration.yaml", "fleet-without-name.yaml"})
  void coordinatorRefusesWithTheSameDescription(String name) throws Exception {
    Path file = SPECS.resolve(name);
    List<String> cliProblems = problemsOf(file);
    ExperimentSpec.Builder unchecked = ExperimentSpec.newBuilder();
    YamlToProto.map((YamlNode.Mapping) YamlTreeReader.read(Files.readString(file)), unchecked);
    Coordinator coordinator = new Coordinator(Clock.systemUTC(), Duration.ofSeconds(1),
        () -> "e-1");

    assertThatThrownBy(() -> coordinator.submit(unchecked.build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription().lines().toList()).isEqualTo(
              cliProblems.stream().map(p -> p.replaceFirst("^[^:]+:\\d+:\\d+: ", "")).toList());
        });
  }

  private static List<String> problemsOf(Path file) throws Exception {
    try {
      new SpecFileReader().read(file);
    } catch (SpecFileException e) {
      return e.problems();
    }
    throw new AssertionError(file + " was expected to be refused");
  }
}
