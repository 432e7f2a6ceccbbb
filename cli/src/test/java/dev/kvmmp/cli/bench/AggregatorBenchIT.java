package dev.kvmmp.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * kvmmp bench aggregator end to end, small: a real broker and a real aggregator, each in a JVM
 * of its own, 50 hosts x 5 VMs and 2 bracketed runs a second for 2 + 10 s. Asserts that every run's
 * report came back and that the table has its figures, never how fast.
 */
class AggregatorBenchIT {

  @Test
  void everyRunIsReportedAndTheTableHasTheFigures() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = new CommandLine(new BenchCommand())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute("aggregator", "--hosts", "50", "--vms", "5", "--seconds", "10",
            "--runs-per-second", "2", "--warmup", "2", "--heap", "512m");

    assertThat(exit).as("stdout: %s%nstderr: %s", out, err).isIn(0, 1);
    assertThat(out.toString())
        .contains("50 hosts x 5 VMs at 1 Hz + 2 bracketed runs/s for 10 s (after 2 s of "
            + "warm-up)")
        .containsPattern("(?m)^input target +58 *$")
        .containsPattern("(?m)^input achieved +[1-9]\\d* +\\d+\\.\\d$")
        .containsPattern("(?m)^aggregator processed +[1-9]\\d* *$")
        // About 20 runs in the measured 10 s, every one reported; a stall of the generator or
        // of the thread that takes the baseline moves a run or two across the warm-up's edge.
        .containsPattern("(?m)^end-to-end lag +(1[5-9]|2[0-5]) of \\1 runs reported; p50 "
            + "\\d+\\.\\d\\d s, "
            + "p99 \\d+\\.\\d\\d s")
        .containsPattern("(?m)^aggregator CPU +\\d+\\.\\d s in \\d+\\.\\d s = \\d+\\.\\d\\d cores$")
        .containsPattern("(?m)^peak RSS +aggregator [1-9]\\d* MiB, broker [1-9]\\d* MiB$")
        .containsPattern("(?m)^Goal: keeps up in real time with end-to-end lag p99 <= 2 s at 50 "
            + "hosts x 5 VMs: (met|NOT met) ");
    Matcher pids = Pattern.compile("broker on \\S+ \\(pid (\\d+)\\), aggregator \\(pid (\\d+)\\)")
        .matcher(err.toString());
    assertThat(pids.find()).as("stderr names the pids: %s", err).isTrue();
    for (int group = 1; group <= 2; group++) {
      assertThat(ProcessHandle.of(Long.parseLong(pids.group(group)))
              .filter(ProcessHandle::isAlive))
          .as("the child JVMs are stopped when the bench ends").isEmpty();
    }
  }
}
