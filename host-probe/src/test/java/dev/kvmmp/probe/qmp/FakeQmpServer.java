package dev.kvmmp.probe.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A QMP server for one connection on a UNIX socket: sends {@code greeting}, then answers every
 * request line with the lines {@code responder} returns (none: stays silent; null: hangs up).
 */
final class FakeQmpServer implements AutoCloseable {

  static final String GREETING = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2,"
      + " \"major\": 7}, \"package\": \"fake\"}, \"capabilities\": [\"oob\"]}}";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path socket;
  private final ServerSocketChannel server;
  private final Thread thread;
  private final List<JsonNode> requests = new CopyOnWriteArrayList<>();

  FakeQmpServer(Path dir, String greeting, Function<JsonNode, List<String>> responder)
      throws IOException {
    socket = dir.resolve("qmp.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    thread = new Thread(() -> serve(greeting, responder), "fake-qmp");
    thread.setDaemon(true);
    thread.start();
  }

  /** Replies to the request's id, as QEMU does. */
  static String reply(JsonNode request, String body) {
    return "{" + body + ", \"id\": \"" + request.path("id").asText() + "\"}";
  }

  Path socket() {
    return socket;
  }

  List<JsonNode> requests() {
    return requests;
  }

  private void serve(String greeting, Function<JsonNode, List<String>> responder) {
    try (SocketChannel client = server.accept();
        BufferedReader in = new BufferedReader(new InputStreamReader(
            Channels.newInputStream(client), StandardCharsets.UTF_8));
        OutputStream out = Channels.newOutputStream(client)) {
      out.write((greeting + "\n").getBytes(StandardCharsets.UTF_8));
      for (String line; (line = in.readLine()) != null; ) {
        JsonNode request = JSON.readTree(line);
        requests.add(request);
        List<String> answer = responder.apply(request);
        if (answer == null) {
          return;
        }
        for (String reply : answer) {
          out.write((reply + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      if (server.isOpen()) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
