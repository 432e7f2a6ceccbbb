package dev.kvmmp.worker.workload.memcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvmmp.worker.workload.RunControl;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class MemcacheClientIT {

  @ParameterizedTest
  @ValueSource(ints = {0, 100, 50})
  void sendsGetsAndSetsInTheShareGetPercentAsks(int getPercent) throws Exception {
    Path memcached = InstalledMemcached.require();
    MemcacheSettings settings = new MemcacheSettings(100, 16, 32, getPercent);
    OpSchedule schedule = OpSchedule.of(settings.keys(), getPercent, 1);

    try (MemcachedProcess server = MemcachedProcess.start(memcached, null, OptionalInt.empty(),
        settings);
        SocketChannel channel = SocketChannel.open(server.address())) {
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      MemcachePreload.run(channel, settings, new RunControl());
      MemcacheClient client = new MemcacheClient(channel, settings, schedule);
      // One whole pass of the schedule, over which the share is exact.
      for (int i = 0; i < schedule.length(); i++) {
        client.once();
      }
      Map<String, Long> stats = MemcachedStats.of(server.address());

      long gets = Math.round(schedule.length() * getPercent / 100.0);
      assertThat(stats.get("cmd_get")).isEqualTo(gets);
      assertThat(stats.get("get_hits")).isEqualTo(gets);
      assertThat(stats.get("cmd_set")).isEqualTo(settings.keys() + schedule.length() - gets);
      assertThat(client.misses()).isZero();
    }
  }

  @Test
  void preloadStoresEveryKeySoGetsHit() throws Exception {
    Path memcached = InstalledMemcached.require();
    MemcacheSettings settings = new MemcacheSettings(10_000, 8, 100, 100);

    try (MemcachedProcess server = MemcachedProcess.start(memcached, null, OptionalInt.empty(),
        settings);
        SocketChannel channel = SocketChannel.open(server.address())) {
      MemcachePreload.run(channel, settings, new RunControl());

      Map<String, Long> stats = MemcachedStats.of(server.address());
      assertThat(stats.get("curr_items")).isEqualTo(10_000L);
    }
  }

  @ParameterizedTest
  @CsvSource({"100, SERVER_ERROR out of memory", "0, NOT_STORED", "100, STORED"})
  void anUnexpectedReplyFailsShowingIt(int getPercent, String answer) throws Exception {
    MemcacheSettings settings = new MemcacheSettings(1, 4, 8, getPercent);

    try (FakeMemcached fake = new FakeMemcached(answer + "\r\n");
        SocketChannel channel = SocketChannel.open(fake.address())) {
      MemcacheClient client = new MemcacheClient(channel, settings,
          OpSchedule.of(1, getPercent, 1));

      assertThatThrownBy(client::once)
          .isInstanceOf(IOException.class)
          .hasMessageContaining(answer + "\\r\\n")
          .hasMessageContaining((getPercent == 100 ? "get" : "set") + " k000");
    }
  }

  @Test
  void aMissIsCountedNotFailed() throws Exception {
    MemcacheSettings settings = new MemcacheSettings(1, 4, 8, 100);

    try (FakeMemcached fake = new FakeMemcached("END\r\n");
        SocketChannel channel = SocketChannel.open(fake.address())) {
      MemcacheClient client = new MemcacheClient(channel, settings, OpSchedule.of(1, 100, 1));
      client.once();

      assertThat(client.misses()).isEqualTo(1);
    }
  }

  /** Answers the first request on one connection with a fixed reply, then waits for close. */
  private static final class FakeMemcached implements AutoCloseable {

    private final ServerSocket listener;
    private final Thread thread;

    FakeMemcached(String reply) throws IOException {
      listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      thread = new Thread(() -> serve(reply.getBytes(StandardCharsets.US_ASCII)),
          "fake-memcached");
      thread.setDaemon(true);
      thread.start();
    }

    InetSocketAddress address() {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    private void serve(byte[] reply) {
      try (Socket socket = listener.accept()) {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        // The client writes a whole request before it reads, so one read is enough to answer.
        if (in.read(new byte[4096]) > 0) {
          socket.getOutputStream().write(reply);
        }
        in.read();
      } catch (IOException e) {
        // The test closed the connection or the listener: nothing left to serve.
      }
    }

    @Override
    public void close() throws Exception {
      listener.close();
      thread.join(10_000);
    }
  }
}
