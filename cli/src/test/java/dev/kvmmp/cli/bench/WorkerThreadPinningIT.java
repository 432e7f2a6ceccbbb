package dev.kvmmp.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A real ptsematest: its two worker threads end up one on each vCPU. */
class WorkerThreadPinningIT {

  @Test
  void pinsTheTwoWorkerThreadsOfARealPeerApart() throws Exception {
    Assumptions.assumeTrue(Executables.fromEnvironment().missing("ptsematest", "rt-tests").isEmpty(),
        "ptsematest (rt-tests) is not installed");
    List<String> allowed = new ArrayList<>();
    try (ChildProcesses children = new ChildProcesses()) {
      children.run("ptsematest", List.of("ptsematest", "-q", "-i", "0", "-D", "1"),
          Duration.ofSeconds(30), child -> {
            WorkerThreadPinning.apart("ptsematest", BenchPlacement.CROSS_CPU).started(child);
            try (Stream<Path> tasks = Files.list(Path.of("/proc/" + child.pid() + "/task"))) {
              for (Path task : tasks.sorted().toList()) {
                if (!task.getFileName().toString().equals(Long.toString(child.pid()))) {
                  allowed.add(cpusAllowed(task));
                }
              }
            } catch (java.io.IOException e) {
              throw new TrialException("cannot list the tasks of ptsematest", e);
            }
          });
    }
    assertThat(allowed).containsExactlyInAnyOrder("0", "1");
  }

  private static String cpusAllowed(Path task) throws java.io.IOException {
    return Files.readAllLines(task.resolve("status")).stream()
        .filter(line -> line.startsWith("Cpus_allowed_list:"))
        .map(line -> line.substring(line.indexOf(':') + 1).trim())
        .findFirst().orElse("?");
  }
}
