package dev.kvmmp.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvmmp.proto.v1.Exclusivity;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.spec.ExperimentSpecValidator;
import org.junit.jupiter.api.Test;

class SchedulerExperimentTest {

  @Test
  void tenThousandWorkersGetThirtyThousandRunsInAValidSpec() {
    SchedulerExperiment plan = SchedulerExperiment.forWorkers(10_000, 3);

    assertThat(plan.totalRuns()).isEqualTo(30_000);
    assertThat(plan.workloads()).isEqualTo(2);
    ExperimentSpec spec = plan.spec();
    assertThat(ExperimentSpecValidator.validate(spec)).isEmpty();
    assertThat(spec.getExclusivity()).isEqualTo(Exclusivity.EXCLUSIVITY_WORKER);
    assertThat(spec.getFleetsList()).extracting(f -> f.getSelectorMap().get("vcpus"))
        .containsExactly("2", "4");
  }

  @Test
  void aSmallFleetRunsOneWorkloadRepeated() {
    SchedulerExperiment plan = SchedulerExperiment.forWorkers(201, 3);

    assertThat(plan.workloads()).isEqualTo(1);
    assertThat(plan.repetitions()).isEqualTo(302);
    assertThat(plan.totalRuns()).isGreaterThanOrEqualTo(603);
    assertThat(ExperimentSpecValidator.validate(plan.spec())).isEmpty();
  }

  @Test
  void refusesMoreRunsThanAnExperimentMayHaveNamingBothOptions() {
    assertThatThrownBy(() -> SchedulerExperiment.forWorkers(100_000, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--workers x --runs-per-worker = 100000 x 2 = 200000 runs")
        .hasMessageContaining("100000");
  }
}
