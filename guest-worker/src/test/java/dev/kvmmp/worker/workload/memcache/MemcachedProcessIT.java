package dev.kvmmp.worker.workload.memcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvmmp.worker.workload.WorkloadException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class MemcachedProcessIT {

  private static final MemcacheSettings DEFAULTS = new MemcacheSettings(1_000, 16, 32, 90);
  private static final Path MEMCACHED = Path.of("/usr/bin/memcached");
  private static final Path TASKSET = Path.of("/usr/bin/taskset");

  @Test
  void isPinnedByTasksetOnlyWhenPlacedAndDropsRootOnlyAsRoot() {
    assertThat(MemcachedProcess.command(MEMCACHED, TASKSET, OptionalInt.of(1), 11211, DEFAULTS,
        true)).containsExactly("/usr/bin/taskset", "-c", "1", "/usr/bin/memcached", "-l",
        "127.0.0.1", "-p", "11211", "-U", "0", "-t", "1", "-m", "64", "-u", "nobody");
    assertThat(MemcachedProcess.command(MEMCACHED, TASKSET, OptionalInt.empty(), 11211, DEFAULTS,
        false)).containsExactly("/usr/bin/memcached", "-l", "127.0.0.1", "-p", "11211", "-U",
        "0", "-t", "1", "-m", "64");
  }

  @Test
  void aMemcachedThatExitsAtOnceFailsTheStartWithWhatItSaid() {
    Path memcached = InstalledMemcached.require();
    Path taskset = Executables.find("taskset", TASKSET).orElse(null);
    Assumptions.assumeTrue(taskset != null,
        "taskset is not installed (apt-get install util-linux)");

    // No guest has vCPU 4095 online: taskset fails before memcached runs.
    assertThatThrownBy(() -> MemcachedProcess.start(memcached, taskset, OptionalInt.of(4095),
        DEFAULTS))
        .isInstanceOf(WorkloadException.class)
        .hasMessageContaining("memcached exited with status 1 before accepting connections")
        .hasMessageContaining("taskset")
        .hasMessageContaining("affinity");
  }

  @Test
  void aPortTakenBeforeMemcachedBoundItIsLeftForAnother() throws Exception {
    Path memcached = InstalledMemcached.require();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      AtomicInteger tried = new AtomicInteger();
      MemcachedProcess.PortSource takenTwiceThenFree = () -> tried.incrementAndGet() <= 2
          ? taken.getLocalPort() : freePort();

      try (MemcachedProcess server = MemcachedProcess.start(memcached, null,
          OptionalInt.empty(), DEFAULTS, takenTwiceThenFree)) {
        assertThat(tried).hasValue(3);
        assertThat(server.address().getPort()).isNotEqualTo(taken.getLocalPort());
        assertThat(server.state()).endsWith(" still runs");
      }
    }
  }

  @Test
  void aPortTakenThreeTimesFailsTheStartWithWhatMemcachedSaid() throws Exception {
    Path memcached = InstalledMemcached.require();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      AtomicInteger tried = new AtomicInteger();

      assertThatThrownBy(() -> MemcachedProcess.start(memcached, null, OptionalInt.empty(),
          DEFAULTS, () -> {
            tried.incrementAndGet();
            return taken.getLocalPort();
          }))
          .isInstanceOf(WorkloadException.class)
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
          .hasMessageContaining("Address already in use");
      assertThat(tried).hasValue(3);
    }
  }

  @Test
  void saysWhetherItStillRunsOrHowItEnded() throws Exception {
    Path memcached = InstalledMemcached.require();
    try (MemcachedProcess server = MemcachedProcess.start(memcached, null, OptionalInt.empty(),
        DEFAULTS)) {
      assertThat(server.state()).isEqualTo("memcached (pid " + server.pid() + ") on "
          + "127.0.0.1:" + server.address().getPort() + " still runs");

      ProcessHandle memcachedProcess = ProcessHandle.of(server.pid()).orElseThrow();
      memcachedProcess.destroyForcibly();
      memcachedProcess.onExit().get();

      assertThat(server.state()).startsWith("memcached (pid " + server.pid() + ") on "
          + "127.0.0.1:" + server.address().getPort() + " exited with status 137: '");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
