package dev.kvmmp.worker.workload.memcache;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** memcached's own counters, from its {@code stats} command on a connection of their own. */
final class MemcachedStats {

  private static final int TIMEOUT_MILLIS = 5_000;

  private MemcachedStats() {}

  static Map<String, Long> of(InetSocketAddress address) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(address, TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write("stats\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      Map<String, Long> stats = new HashMap<>();
      for (String line = in.readLine(); !"END".equals(line); line = in.readLine()) {
        if (line == null) {
          throw new IOException("memcached closed the connection before END of stats");
        }
        String[] words = line.split(" ");
        if (words.length == 3 && words[2].matches("\\d+")) {
          stats.put(words[1], Long.parseLong(words[2]));
        }
      }
      return stats;
    }
  }
}
