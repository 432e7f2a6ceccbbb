package dev.kvmmp.cli.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FindingsTableTest {

  private static final String PLOT = "F2 guest side: exit causes per transaction";

  @Test
  void anExitTableHasAColumnPerCountedCauseAndADashWhereABarLacksIt() {
    String table = print(List.of(
        new ExitBar(PLOT, "tcp_rr same-vCPU", 10, Map.of("ICR writes", 0.0)),
        new ExitBar(PLOT, "tcp_rr cross-vCPU", 10, Map.of("ICR writes", 1.98,
            "HLT entries", 0.97))));

    assertThat(table).contains(PLOT + ":\n")
        .containsPattern("\\s+ICR writes  HLT entries  runs\n")
        .containsPattern("tcp_rr same-vCPU +0\\.00 +- +10\n")
        .containsPattern("tcp_rr cross-vCPU +1\\.98 +0\\.97 +10\n");
  }

  @Test
  void anExitTableWithNothingCountedSaysSoInsteadOfAnEmptyTable() {
    String table = print(List.of(new ExitBar(PLOT, "tcp_rr same-vCPU", 5, Map.of()),
        new ExitBar(PLOT, "tcp_rr cross-vCPU", 5, Map.of())));

    assertThat(table).contains(PLOT + ": nothing counted (the F2 rows say why)")
        .doesNotContain("tcp_rr same-vCPU");
  }

  private static String print(List<ExitBar> exits) {
    StringWriter out = new StringWriter();
    FindingsTable.print(new ReproduceResults("a test machine", Instant.EPOCH, Duration.ZERO,
        false, true, List.of(), List.of(), exits, List.of(), List.of()),
        new PrintWriter(out, true));
    return out.toString();
  }
}
