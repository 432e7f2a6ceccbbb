package dev.kvmmp.probe.qmp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
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
      JsonNode greeting = QmpMessage.tree(channel.readLine(deadline, what), socket, "(greeting)");
      if (!greeting.has("QMP")) {
        throw new QmpException("(greeting)",
            socket + ": not a QMP greeting: " + QmpMessage.quote(greeting));
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
  public List<JsonNode> executeAll(List<QmpCommand> commands) throws IOException {
    return executeAll(commands, TREE);
  }

  /**
   * Reads the {@code return} value of a reply as it is parsed, without a tree of the whole reply.
   */
  @FunctionalInterface
  public interface ReturnReader<T> {
    /**
     * Reads the value that starts at the parser's current token, leaving the parser on its last
     * token; {@code command} is the command replied to.
     */
    T read(JsonParser parser, QmpCommand command) throws IOException;
  }

  private static final ReturnReader<JsonNode> TREE = (parser, command) -> parser.readValueAsTree();

  /**
   * Like {@link #executeAll(List)}, each {@code return} value read by {@code reader}. Should the
   * reader throw a {@link QmpException} for a reply that turns out to answer an earlier command
   * (its id comes after its value), that reply is skipped like any late one.
   */
  public synchronized <T> List<T> executeAll(List<QmpCommand> commands, ReturnReader<T> reader)
      throws IOException {
    return receive(send(commands), reader);
  }

  /** Commands sent by {@link #send} whose replies {@link #receive} has yet to read. */
  public static final class Sent {
    private final QmpClient client;
    private final List<QmpCommand> commands;
    private final String[] ids;
    private final long deadline;

    private Sent(QmpClient client, List<QmpCommand> commands, String[] ids, long deadline) {
      this.client = client;
      this.commands = commands;
      this.ids = ids;
      this.deadline = deadline;
    }
  }

  /**
   * The first half of {@link #executeAll}: writes the requests and returns at once, so that a
   * caller with many VMs can have them all at work before it reads any reply. Until {@link
   * #receive} has read these replies, send nothing else on this connection.
   */
  public synchronized Sent send(List<QmpCommand> commands) throws IOException {
    if (commands.isEmpty()) {
      throw new IllegalArgumentException("commands: empty, expected at least one to send");
    }
    // The timeout counts from here: the replies may wait while the caller reads other VMs'.
    long deadline = System.nanoTime() + timeout.toNanos();
    StringBuilder requests = new StringBuilder();
    String[] ids = new String[commands.size()];
    for (int i = 0; i < ids.length; i++) {
      QmpCommand command = commands.get(i);
      // The id lets a reply that arrives after its command timed out be told apart and skipped.
      ids[i] = "kvmmp-" + ++lastId;
      requests.append(i == 0 ? "" : "\n").append(command.request(ids[i]));
    }
    channel.writeLine(requests.toString(), deadline, waitingFor(commands.get(0).name()));
    return new Sent(this, List.copyOf(commands), ids, deadline);
  }

  /**
   * The second half of {@link #executeAll}: the replies to what {@code sent} sent, each {@code
   * return} value read by {@code reader}, within the timeout counted from the send.
   */
  public synchronized <T> List<T> receive(Sent sent, ReturnReader<T> reader) throws IOException {
    if (sent.client != this) {
      throw new IllegalArgumentException("sent: commands sent on " + sent.client + ", not on "
          + this);
    }
    List<T> returns = new ArrayList<>(sent.ids.length);
    for (int i = 0; i < sent.ids.length; i++) {
      returns.add(awaitReturn(sent.commands.get(i), sent.ids[i], sent.deadline, reader));
    }
    return returns;
  }

  private String waitingFor(String command) {
    return "waiting " + timeout.toMillis() + " ms for the reply to '" + command + "'";
  }

  private <T> T awaitReturn(QmpCommand command, String id, long deadline, ReturnReader<T> reader)
      throws IOException {
    String name = command.name();
    String what = waitingFor(name);
    while (true) {
      channel.nextLine(deadline, what);
      byte[] line = channel.lineBytes();
      int length = channel.lineLength();
      QmpMessage<T> message;
      try {
        message = QmpMessage.read(line, length, command, reader, socket);
      } catch (QmpException readerFailed) {
        // Perhaps a late reply to another command, whose value this reader does not know.
        JsonNode replyId = QmpMessage.tree(QmpMessage.text(line, length), socket, name).get("id");
        if (replyId != null && !id.equals(replyId.asText())) {
          log.debug("{}: skipping late reply {} while waiting for {}", socket, replyId, id);
          continue;
        }
        throw readerFailed;
      }
      if (message.event() != null) {
        log.debug("{}: skipping QMP event {}", socket, message.event());
        continue;
      }
      // QEMU leaves the id out only when it could not parse the request: then the reply is ours.
      if (message.id() != null && !id.equals(message.id().asText())) {
        log.debug("{}: skipping late reply {} while waiting for {}", socket, message.id(), id);
        continue;
      }
      if (message.error() != null) {
        throw QmpException.errorReply(name, message.error());
      }
      if (message.hasReturn()) {
        return message.value();
      }
      throw new QmpException(name, socket + ": reply to '" + name
          + "' has neither 'return', 'error' nor 'event': "
          + QmpMessage.quote(QmpMessage.text(line, length)));
    }
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
