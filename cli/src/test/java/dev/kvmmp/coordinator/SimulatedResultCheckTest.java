package dev.kvmmp.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.cli.bench.SimulatedResult;
import dev.kvmmp.proto.v1.RunResult;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The scheduler bench's simulated workers must send results the coordinator records, or the
 * bench would measure the path of refused results. In the coordinator's package (on the class
 * path, not a module) to reach its package-private check.
 */
class SimulatedResultCheckTest {

  private static final Instant START = Instant.parse("2025-01-01T00:00:00.123456789Z");

  @Test
  void simulatedResultPassesTheCoordinatorsResultCheck() {
    RunResult result = new SimulatedResult().between(START, START.plusMillis(50), 50_000_000);

    assertThat(ResultCheck.inconsistency(result)).isEmpty();
    assertThat(result.getTransactions()).isPositive();
  }

  @Test
  void resultCheckRefusesTheSimulatedResultWithATransactionMiscounted() {
    RunResult result = new SimulatedResult().between(START, START.plusMillis(50), 50_000_000);

    RunResult miscounted = result.toBuilder().setTransactions(result.getTransactions() + 1)
        .build();

    assertThat(ResultCheck.inconsistency(miscounted)).hasValueSatisfying(
        why -> assertThat(why).contains("histogram holds"));
  }

  @Test
  void aRunShorterThanAClockTickStillHasAWindow() {
    RunResult result = new SimulatedResult().between(START, START, 0);

    assertThat(ResultCheck.inconsistency(result)).isEmpty();
  }
}
