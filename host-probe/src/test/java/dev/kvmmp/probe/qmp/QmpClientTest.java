package dev.kvmmp.probe.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QmpClientTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir
  Path dir;

  /** QEMU-like answers: capabilities ok, query-status ok after an event, anything else an error. */
  private static List<String> qemuLike(JsonNode request) {
    switch (request.path("execute").asText()) {
      case "qmp_capabilities":
        return List.of(FakeQmpServer.reply(request, "\"return\": {}"));
      case "query-status":
        return List.of(
            "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"STOP\"}",
            FakeQmpServer.reply(request, "\"return\": {\"status\": \"running\"}"));
      default:
        return List.of(FakeQmpServer.reply(request, "\"error\": {\"class\": \"CommandNotFound\","
            + " \"desc\": \"The command nope has not been found\"}"));
    }
  }

  @Test
  void negotiatesCapabilitiesThenReturnsTheReplyPastAnAsyncEvent() throws Exception {
    try (FakeQmpServer server = new FakeQmpServer(dir, FakeQmpServer.GREETING,
            QmpClientTest::qemuLike);
        QmpClient qmp = QmpClient.connect(server.socket(), TIMEOUT)) {
      JsonNode status = qmp.execute("query-status",
          JsonNodeFactory.instance.objectNode().put("verbose", true));

      assertThat(status.path("status").asText()).isEqualTo("running");
      assertThat(qmp.qemuVersion()).isEqualTo("7.2.22");
      assertThat(server.requests()).extracting(r -> r.path("execute").asText())
          .containsExactly("qmp_capabilities", "query-status");
      assertThat(server.requests().get(1).path("arguments").path("verbose").asBoolean()).isTrue();
    }
  }

  @Test
  void errorReplyBecomesQmpExceptionNamingCommandClassAndDescription() throws Exception {
    try (FakeQmpServer server = new FakeQmpServer(dir, FakeQmpServer.GREETING,
            QmpClientTest::qemuLike);
        QmpClient qmp = QmpClient.connect(server.socket(), TIMEOUT)) {
      assertThatThrownBy(() -> qmp.execute("nope"))
          .isInstanceOfSatisfying(QmpException.class, e -> {
            assertThat(e.command()).isEqualTo("nope");
            assertThat(e.errorClass()).contains("CommandNotFound");
          })
          .hasMessage("QMP command 'nope' failed: CommandNotFound:"
              + " The command nope has not been found");
      // The connection stays usable after an error reply.
      assertThat(qmp.execute("query-status").path("status").asText()).isEqualTo("running");
    }
  }

  @Test
  void skipsALateReplyToAnEarlierCommand() throws Exception {
    Function<JsonNode, List<String>> responder = request ->
        request.path("execute").asText().equals("query-status")
            ? List.of("{\"return\": {\"status\": \"stale\"}, \"id\": \"kvmmp-0\"}",
                FakeQmpServer.reply(request, "\"return\": {\"status\": \"running\"}"))
            : qemuLike(request);
    try (FakeQmpServer server = new FakeQmpServer(dir, FakeQmpServer.GREETING, responder);
        QmpClient qmp = QmpClient.connect(server.socket(), TIMEOUT)) {
      assertThat(qmp.execute("query-status").path("status").asText()).isEqualTo("running");
    }
  }

  @Test
  void runsCommandsInOneWriteAndReturnsTheirRepliesInOrder() throws Exception {
    try (FakeQmpServer server = new FakeQmpServer(dir, FakeQmpServer.GREETING,
            QmpClientTest::qemuLike);
        QmpClient qmp = QmpClient.connect(server.socket(), TIMEOUT)) {
      List<JsonNode> replies = qmp.executeAll(List.of(new QmpCommand("query-status", null),
          new QmpCommand("query-status",
              JsonNodeFactory.instance.objectNode().put("verbose", true))));

      assertThat(replies).extracting(r -> r.path("status").asText())
          .containsExactly("running", "running");
      assertThat(server.requests()).extracting(r -> r.path("id").asText())
          .containsExactly("kvmmp-1", "kvmmp-2", "kvmmp-3");
      assertThat(server.requests().get(2).path("arguments").path("verbose").asBoolean()).isTrue();
    }
  }

  @Test
  void anErrorAmongCommandsFailsThemAndTheNextCallSkipsTheRepliesLeft() throws Exception {
    try (FakeQmpServer server = new FakeQmpServer(dir, FakeQmpServer.GREETING,
            QmpClientTest::qemuLike);
        QmpClient qmp = QmpClient.connect(server.socket(), TIMEOUT)) {
      assertThatThrownBy(() -> qmp.executeAll(List.of(new QmpCommand("nope", null),
          new QmpCommand("query-status", null))))
          .isInstanceOfSatisfying(QmpException.class,
              e -> assertThat(e.command()).isEqualTo("nope"));

      // The reply to the second command, never read, arrives before this one's.
      assertThat(qmp.execute("query-status").path("status").asText()).isEqualTo("running");
      assertThat(server.requests()).hasSize(4);
    }
  }

  @Test
  void skipsALateReplyThatTheReaderCannotRead() throws Exception {
    Function<JsonNode, List<String>> responder = request ->
        request.path("execute").asText().equals("query-status")
            ? List.of("{\"return\": \"not an object\", \"id\": \"kvmmp-0\"}",
                FakeQmpServer.reply(request, "\"return\": {\"status\": \"running\"}"))
            : qemuLike(request);
    QmpClient.ReturnReader<String> status = (parser, command) -> {
      if (parser.currentToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        throw new QmpException(command.name(), "not a status");
      }
      JsonNode value = parser.readValueAsTree();
      return value.path("status").asText();
    };
    try (FakeQmpServer server = new FakeQmpServer(dir, FakeQmpServer.GREETING, responder);
        QmpClient qmp = QmpClient.connect(server.socket(), TIMEOUT)) {
      assertThat(qmp.executeAll(List.of(new QmpCommand("query-status", null)), status))
          .containsExactly("running");
    }
  }

  @Test
  void failsWithinTheTimeoutWhenQemuNeverReplies() throws Exception {
    Function<JsonNode, List<String>> silentAfterCapabilities = request ->
        request.path("execute").asText().equals("qmp_capabilities") ? qemuLike(request) : List.of();
    try (FakeQmpServer server = new FakeQmpServer(dir, FakeQmpServer.GREETING,
            silentAfterCapabilities);
        QmpClient qmp = QmpClient.connect(server.socket(), Duration.ofMillis(300))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> qmp.execute("query-stats"))
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessageContaining("timed out waiting 300 ms for the reply to 'query-stats'");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void failsClearlyWhenQemuHangsUp() throws Exception {
    Function<JsonNode, List<String>> hangUp = request ->
        request.path("execute").asText().equals("qmp_capabilities") ? qemuLike(request) : null;
    try (FakeQmpServer server = new FakeQmpServer(dir, FakeQmpServer.GREETING, hangUp);
        QmpClient qmp = QmpClient.connect(server.socket(), TIMEOUT)) {
      assertThatThrownBy(() -> qmp.execute("query-stats"))
          .isInstanceOf(EOFException.class)
          .hasMessageContaining("QEMU closed the QMP connection")
          .hasMessageContaining("'query-stats'");
    }
  }

  @Test
  void rejectsAPeerThatIsNotQmp() throws Exception {
    try (FakeQmpServer server = new FakeQmpServer(dir, "{\"hello\": 1}",
        QmpClientTest::qemuLike)) {
      assertThatThrownBy(() -> QmpClient.connect(server.socket(), TIMEOUT))
          .isInstanceOf(QmpException.class)
          .hasMessageContaining("not a QMP greeting");
    }
  }

  @Test
  void namesTheSocketWhenNothingListens() {
    Path missing = dir.resolve("missing.sock");
    assertThatThrownBy(() -> QmpClient.connect(missing, TIMEOUT))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(missing.toString());
  }
}
