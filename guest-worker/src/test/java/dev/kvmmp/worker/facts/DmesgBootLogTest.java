package dev.kvmmp.worker.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DmesgBootLogTest {

  @Test
  void emptyWhenCommandIsMissing() {
    BootLog log = new DmesgBootLog(List.of("/nonexistent/kvmmp-dmesg"), Duration.ofSeconds(2));

    assertThat(log.lines()).isEmpty();
  }

  @Test
  void emptyAndPromptWhenCommandOutlivesTimeout() {
    assumeTrue(Files.isExecutable(Path.of("/bin/sleep")), "no /bin/sleep");
    BootLog log = new DmesgBootLog(List.of("/bin/sleep", "30"), Duration.ofMillis(200));

    long start = System.nanoTime();
    List<String> lines = log.lines();

    assertThat(lines).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void emptyWhenCommandFails() {
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh");
    BootLog log = new DmesgBootLog(List.of("/bin/sh", "-c", "echo partial; exit 1"),
        Duration.ofSeconds(2));

    assertThat(log.lines()).isEmpty();
  }

  @Test
  void returnsTheCommandsOutputLines() {
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh");
    BootLog log = new DmesgBootLog(
        List.of("/bin/sh", "-c", "printf 'Hypervisor detected: KVM\\nkvm-guest: setup PV IPIs\\n'"),
        Duration.ofSeconds(2));

    assertThat(log.lines()).containsExactly("Hypervisor detected: KVM", "kvm-guest: setup PV IPIs");
  }
}
