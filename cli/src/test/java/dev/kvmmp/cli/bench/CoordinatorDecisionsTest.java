package dev.kvmmp.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CoordinatorDecisionsTest {

  @Test
  void readsTheDecisionTimerFromAPrometheusScrape() {
    String scrape = """
        # HELP kvmmp_coordinator_decision_seconds From the event ...
        # TYPE kvmmp_coordinator_decision_seconds histogram
        kvmmp_coordinator_decision_seconds_bucket{le="1.0E-5"} 0
        kvmmp_coordinator_decision_seconds_bucket{le="2.4576E-5"} 15000
        kvmmp_coordinator_decision_seconds_bucket{le="0.001"} 29000
        kvmmp_coordinator_decision_seconds_bucket{le="0.003145728"} 29700
        kvmmp_coordinator_decision_seconds_bucket{le="1.0"} 30000
        kvmmp_coordinator_decision_seconds_bucket{le="+Inf"} 30000
        kvmmp_coordinator_decision_seconds_count 30000
        kvmmp_coordinator_decision_seconds_sum 12.5
        kvmmp_coordinator_decision_seconds_max 0.81
        kvmmp_coordinator_result_seconds_count 30000
        """;

    assertThat(CoordinatorDecisions.parse(scrape, CoordinatorDecisions.DECISION))
        .isEqualTo(new CoordinatorDecisions(30_000, 2.4576E-5, 0.003145728, 0.81));
  }

  @Test
  void aScrapeWithoutTheTimerGivesNone() {
    assertThat(CoordinatorDecisions.parse("jvm_threads_live_threads 12\n",
        CoordinatorDecisions.DECISION))
        .isEqualTo(CoordinatorDecisions.NONE);
  }
}
