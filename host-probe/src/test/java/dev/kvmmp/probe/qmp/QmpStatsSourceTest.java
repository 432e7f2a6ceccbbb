package dev.kvmmp.probe.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvmmp.proto.v1.VmCounters;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against replies captured from QEMU 7.2 on a 2-vCPU VM running SeaBIOS (resources/qmp/). */
class QmpStatsSourceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UUID = "b669ccc7-1519-44fa-93e3-1899cd1536f8";

  @TempDir
  Path dir;

  private static String fixture(String name) {
    try (InputStream in = QmpStatsSourceTest.class.getResourceAsStream("/qmp/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode returnOf(String name) throws IOException {
    return JSON.readTree(fixture(name)).get("return");
  }

  private static StatsSchema schema() throws IOException {
    return StatsSchema.parse(returnOf("query-stats-schemas.json"));
  }

  private static VmCounters capturedCounters() throws IOException {
    return QmpStatsSource.toCounters(schema(), returnOf("query-stats-vm.json"),
        returnOf("query-stats-vcpu.json"), UUID);
  }

  @Test
  void sumsCumulativeVcpuStatsOverVcpus() throws IOException {
    VmCounters counters = capturedCounters();

    // vCPU 1 + vCPU 0 in the capture.
    assertThat(counters.getStatsMap())
        .containsEntry("exits", 1L + 7427L)
        .containsEntry("halt_exits", 1L + 32L)
        .containsEntry("halt_wakeup", 30L + 14L)
        .containsEntry("halt_wait_ns", 1887031111L + 712036728L)
        .containsEntry("halt_attempted_poll", 1L)
        .containsEntry("halt_successful_poll", 0L)
        .containsEntry("irq_exits", 0L);
    assertThat(counters.getSource()).isEqualTo("qmp");
    assertThat(counters.getVmIdentity()).isEqualTo(UUID);
  }

  @Test
  void keepsVmWideCumulativeStats() throws IOException {
    assertThat(capturedCounters().getStatsMap())
        .containsEntry("remote_tlb_flush_requests", 3L)
        .containsEntry("mmu_cache_miss", 20L);
  }

  @Test
  void leavesOutInstantPeakAndHistogramStats() throws IOException {
    VmCounters counters = capturedCounters();

    assertThat(counters.getStatsMap()).doesNotContainKeys("blocking", "guest_mode",
        "halt_wait_hist", "halt_poll_success_hist", "pages_4k", "max_mmu_rmap_size");
    // 42 of 47 per-vCPU and 9 of 16 per-VM stats are cumulative in the capture.
    assertThat(counters.getStatsMap()).hasSize(51);
  }

  @Test
  void namesTheStatWhoseValueHasAnUnexpectedShape() throws IOException {
    JsonNode vcpu = JSON.readTree(fixture("query-stats-vcpu.json")
        .replace("{\"name\": \"exits\", \"value\": 7427}", "{\"name\": \"exits\", \"value\": [1]}"))
        .get("return");

    assertThatThrownBy(() -> QmpStatsSource.toCounters(schema(), returnOf("query-stats-vm.json"),
        vcpu, UUID))
        .isInstanceOf(QmpException.class)
        .hasMessageContaining("/machine/unattached/device[0]")
        .hasMessageContaining("cumulative stat 'exits' should be an unsigned 64-bit integer,"
            + " got ARRAY [1]");
  }

  @Test
  void rejectsAReplyThatIsNotAnArray() throws IOException {
    assertThatThrownBy(() -> QmpStatsSource.toCounters(schema(), returnOf("query-stats-vm.json"),
        JSON.readTree("{\"stats\": []}"), UUID))
        .isInstanceOf(QmpException.class)
        .hasMessage("query-stats (target vcpu): expected an array, got OBJECT");
  }

  @Test
  void namesAStatTheSchemaDoesNotDescribe() throws IOException {
    JsonNode vcpu = JSON.readTree(fixture("query-stats-vcpu.json")
        .replace("\"name\": \"exits\"", "\"name\": \"exits_from_the_future\"")).get("return");

    assertThatThrownBy(() -> QmpStatsSource.toCounters(schema(), returnOf("query-stats-vm.json"),
        vcpu, UUID))
        .isInstanceOf(QmpException.class)
        .hasMessageContaining("stat 'exits_from_the_future' is not described by"
            + " query-stats-schemas");
  }

  @Test
  void saysKvmIsMissingWhenThereAreNoVcpuStats() throws IOException {
    assertThatThrownBy(() -> QmpStatsSource.toCounters(schema(), returnOf("query-stats-vm.json"),
        JSON.readTree("[]"), UUID))
        .isInstanceOf(QmpException.class)
        .hasMessageContaining("-enable-kvm");
  }

  @Test
  void readsStatsWhateverTheOrderOfTheirFields() throws IOException {
    JsonNode vcpu = JSON.readTree("[{\"qom-path\": \"/cpu0\", \"stats\": [{\"value\": 5, "
        + "\"name\": \"exits\"}, {\"value\": [1, 2], \"name\": \"halt_wait_hist\"}], "
        + "\"provider\": \"kvm\"}, {\"provider\": \"other\", \"stats\": [{\"name\": "
        + "\"exits\", \"value\": 100}]}]");

    VmCounters counters = QmpStatsSource.toCounters(schema(), JSON.readTree("[]"), vcpu, UUID);

    assertThat(counters.getStatsMap()).containsOnly(Map.entry("exits", 5L));
  }

  @Test
  void keepsTheBitsOfAnUnsigned64BitStatAboveLongMax() throws IOException {
    JsonNode vcpu = JSON.readTree("[{\"provider\": \"kvm\", \"stats\": [{\"name\": "
        + "\"exits\", \"value\": 18446744073709551615}]}]");

    assertThat(QmpStatsSource.toCounters(schema(), JSON.readTree("[]"), vcpu, UUID)
        .getStatsOrThrow("exits")).isEqualTo(-1L);
  }

  @Test
  void asksForTheSchemaAgainWhenAReplyNamesAStatItDoesNotKnow() throws Exception {
    // The first schema lacks "exits", as a schema from another QEMU binary might.
    String partialSchema = fixture("query-stats-schemas.json")
        .replace("{\"name\": \"exits\", \"exponent\": 0, \"type\": \"cumulative\"}, ", "");
    assertThat(partialSchema).isNotEqualTo(fixture("query-stats-schemas.json"));
    int[] schemaRequests = {0};
    try (FakeQmpServer server = new FakeQmpServer(dir, fixture("greeting.json"), request ->
            request.path("execute").asText().equals("query-stats-schemas")
                && schemaRequests[0]++ == 0 ? List.of(partialSchema) : capturedQemu(request));
        QmpClient qmp = QmpClient.connect(server.socket(), Duration.ofSeconds(5))) {
      VmCounters counters = new QmpStatsSource().read(qmp);

      assertThat(counters).isEqualTo(capturedCounters());
      assertThat(schemaRequests[0]).isEqualTo(2);
    }
  }

  @Test
  void readsOverQmpAndAsksForTheSchemaAndUuidOnlyOnce() throws Exception {
    try (FakeQmpServer server = new FakeQmpServer(dir, fixture("greeting.json"),
            QmpStatsSourceTest::capturedQemu);
        QmpClient qmp = QmpClient.connect(server.socket(), Duration.ofSeconds(5))) {
      QmpStatsSource source = new QmpStatsSource();

      VmCounters first = source.read(qmp);
      VmCounters second = source.read(qmp);

      assertThat(second).isEqualTo(first).isEqualTo(capturedCounters());
      assertThat(server.requests()).filteredOn(r ->
          r.path("execute").asText().equals("query-stats-schemas")).hasSize(1);
      assertThat(server.requests()).filteredOn(r ->
          r.path("execute").asText().equals("query-stats")).extracting(r ->
          r.path("arguments").path("target").asText())
          .containsExactly("vm", "vcpu", "vm", "vcpu");
      assertThat(server.requests()).filteredOn(r ->
          r.path("execute").asText().equals("query-uuid")).as("asked once per connection")
          .hasSize(1);
    }
  }

  /** Answers with the captured replies, as the QEMU they came from would. */
  private static List<String> capturedQemu(JsonNode request) {
    String body;
    switch (request.path("execute").asText()) {
      case "qmp_capabilities":
        body = "{\"return\": {}}";
        break;
      case "query-stats-schemas":
        body = fixture("query-stats-schemas.json");
        break;
      case "query-stats":
        body = fixture("query-stats-" + request.path("arguments").path("target").asText()
            + ".json");
        break;
      case "query-uuid":
        body = "{\"return\": {\"UUID\": \"" + UUID + "\"}}";
        break;
      default:
        body = "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"no\"}}";
    }
    // The captures carry no id: QmpClient accepts an id-less reply as the answer.
    return List.of(body);
  }
}
