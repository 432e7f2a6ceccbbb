package dev.kvmmp.probe.qmp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to one QEMU's QMP socket (line-delimited JSON over a UNIX-domain socket). {@link
 * #connect} reads the greeting and negotiates capabilities; {@link #execute} sends one
 * command and returns its {@code return} value, skipping asynchronous events. Every call ends
 * within the timeout given at connect, with a reply or an {@link IOException}. Thread-safe: one
 * command at a time.
 */
public final class QmpClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(QmpClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_QUOTED_CHARS = 200;

  private final JsonLineChannel channel;
  private final Path socket;
  private final Duration timeout;
  private final String qemuVersion;
  private long lastId;

  private QmpClient(JsonLineChannel channel, Path socket, Duration timeout, String qemuVersion) {
    this.channel = channel;
    this.socket = socket;
    this.timeout = timeout;
    this.qemuVersion = qemuVersion;
  }

  /**
   * Connects to the QMP socket at {@code socket} and negotiates capabilities.
   *
   * @param timeout bound of the connect and of every later command, each counted separately
   */
  public static QmpClient connect(Path socket, Duration timeout) throws IOException {
    Objects.requireNonNull(socket, "socket");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be > 0, was " + timeout);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonLineChannel channel = JsonLineChannel.connect(socket, deadline);
    try {
      String what = "waiting " + timeout.toMillis() + " ms for the QMP greeting";
      JsonNode greeting = parse(channel.readLine(deadline, what), socket, "(greeting)");
      if (!greeting.has("QMP")) {
        throw new QmpException("(greeting)",
            socket + ": not a QMP greeting: " + quote(greeting));
      }
      JsonNode version = greeting.path("QMP").path("version").path("qemu");
      String qemuVersion = version.path("major").asInt() + "." + version.path("minor").asInt()
          + "." + version.path("micro").asInt();
      QmpClient client = new QmpClient(channel, socket, timeout, qemuVersion);
      client.execute("qmp_capabilities");
      return client;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** QEMU's version from the greeting, e.g. {@code 7.2.22}. */
  public String qemuVersion() {
    return qemuVersion;
  }

  /** Runs {@code command} without arguments; see {@link #execute(String, ObjectNode)}. */
  public JsonNode execute(String command) throws IOException {
    return execute(command, null);
  }

  /**
   * Runs {@code command} and returns the {@code return} member of its reply.
   *
   * @param arguments the command's arguments, or null for none
   * @throws QmpException QEMU answered with an error, or with a reply of an unknown shape
   * @throws IOException the connection failed or no reply came within the timeout
   */
  public JsonNode execute(String command, ObjectNode arguments) throws IOException {
    return executeAll(List.of(new QmpCommand(command, arguments))).get(0);
  }

  /**
   * Runs {@code commands} in one go: every request written at once, then their replies read, in
   * order (QEMU answers a client's commands in the order sent). One wakeup of QEMU and of the
   * probe instead of one per command; all within the timeout. On an error reply the replies to
   * the commands after it are left unread; the next call skips them by their ids.
   *
   * @return each command's {@code return} member, in the order of {@code commands}
   * @throws QmpException QEMU answered a command with an error, or with a reply of an unknown
   *     shape
   * @throws IOException the connection failed or the replies did not all come within the timeout
   */
  public synchronized List<JsonNode> executeAll(List<QmpCommand> commands) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    StringBuilder requests = new StringBuilder();
    String[] ids = new String[commands.size()];
    for (int i = 0; i < ids.length; i++) {
      QmpCommand command = commands.get(i);
      // The id lets a reply that arrives after its command timed out be told apart and skipped.
      ids[i] = "kvmmp-" + ++lastId;
      ObjectNode request = JSON.createObjectNode().put("execute", command.name());
      if (command.arguments() != null) {
        request.set("arguments", command.arguments());
      }
      request.put("id", ids[i]);
      requests.append(i == 0 ? "" : "\n").append(JSON.writeValueAsString(request));
    }
    channel.writeLine(requests.toString(), deadline, waitingFor(commands.get(0).name()));
    List<JsonNode> returns = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      returns.add(awaitReturn(commands.get(i).name(), ids[i], deadline));
    }
    return returns;
  }

  private String waitingFor(String command) {
    return "waiting " + timeout.toMillis() + " ms for the reply to '" + command + "'";
  }

  private JsonNode awaitReturn(String command, String id, long deadline) throws IOException {
    String what = waitingFor(command);
    while (true) {
      JsonNode message = parse(channel.readLine(deadline, what), socket, command);
      if (message.has("event")) {
        log.debug("{}: skipping QMP event {}", socket, message.path("event").asText());
        continue;
      }
      // QEMU leaves the id out only when it could not parse the request: then the reply is ours.
      JsonNode replyId = message.get("id");
      if (replyId != null && !id.equals(replyId.asText())) {
        log.debug("{}: skipping late reply {} while waiting for {}", socket, replyId, id);
        continue;
      }
      if (message.has("error")) {
        throw QmpException.errorReply(command, message.get("error"));
      }
      if (message.has("return")) {
        return message.get("return");
      }
      throw new QmpException(command, socket + ": reply to '" + command
          + "' has neither 'return', 'error' nor 'event': " + quote(message));
    }
  }

  private static JsonNode parse(String line, Path socket, String command) throws QmpException {
    try {
      JsonNode node = JSON.readTree(line);
      if (node == null || !node.isObject()) {
        throw new QmpException(command, socket + ": expected a JSON object while waiting for '"
            + command + "', got " + quote(line));
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new QmpException(command, socket + ": not JSON while waiting for '" + command + "': "
          + quote(line));
    }
  }

  private static String quote(Object text) {
    String s = String.valueOf(text);
    return s.length() <= MAX_QUOTED_CHARS ? s : s.substring(0, MAX_QUOTED_CHARS) + "...";
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  @Override
  public String toString() {
    return "QmpClient[" + socket + "]";
  }
}
