package dev.kvmmp.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * kvmmp bench scheduler end to end, small: a real coordinator JVM, 200 simulated workers on real
 * gRPC streams. Asserts what ran and what was printed, never how fast.
 */
class SchedulerBenchIT {

  @Test
  void schedulesEveryRunAcrossSimulatedWorkersAndPrintsTheFigures() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = new CommandLine(new BenchCommand())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute("scheduler", "--workers", "200", "--runs-per-worker", "3", "--run-millis", "20",
            "--channels", "4", "--timeout", "PT5M",
            // A loaded CI machine must not lose workers to a 3 s heartbeat timeout.
            "--coordinator-option=--heartbeat-interval=PT5S");

    assertThat(exit).as("stdout: %s%nstderr: %s", out, err).isZero();
    assertThat(out.toString())
        .contains("200 simulated workers over 4 gRPC connections; 600 runs of 20 ms")
        .contains("coordinator -Xmx512m --heartbeat-interval=PT5S")
        .containsPattern("(?m)^first wave \\(Submit -> 1st run\\) +200 +\\d+\\.\\d\\d ")
        .containsPattern("(?m)^next run \\(result -> next run\\) +[1-9]\\d* +\\d+\\.\\d\\d ")
        .containsPattern("(?m)^runs +600/600 succeeded, 0 failed, 0 cancelled in ")
        .containsPattern("(?m)^heap after GC +[1-9][\\d.]* MiB with the workers registered, "
            + "[1-9][\\d.]* MiB at the end$")
        .containsPattern("(?m)^heap peak +[1-9][\\d.]* MiB used, [1-9][\\d.]* MiB committed")
        .containsPattern("(?m)^coordinator CPU +\\d+\\.\\d\\d s ")
        .containsPattern("(?m)^Goal: decision p99 <= 10 ms: (met|NOT met) ")
        .doesNotContain("lost workers");
    assertThat(err.toString()).contains("registered 200/200");
    Matcher pid = Pattern.compile("coordinator \\(pid (\\d+)\\)").matcher(err.toString());
    assertThat(pid.find()).as("stderr names the coordinator's pid: %s", err).isTrue();
    assertThat(ProcessHandle.of(Long.parseLong(pid.group(1))).filter(ProcessHandle::isAlive))
        .as("the coordinator JVM is stopped when the bench ends").isEmpty();
  }
}
