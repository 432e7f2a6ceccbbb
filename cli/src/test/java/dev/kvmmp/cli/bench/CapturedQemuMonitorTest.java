package dev.kvmmp.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulated VM's monitor answers as the QEMU its replies were captured from. */
class CapturedQemuMonitorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final CapturedQemuMonitor monitor =
      new CapturedQemuMonitor("5d1c3f0e-8a52-4d0b-9f51-2c7e44c1a0ff", List.of(501, 502));

  private JsonNode answer(String request) throws Exception {
    byte[] line = monitor.answer(request);
    assertThat(line[line.length - 1]).as("one line, newline-ended").isEqualTo((byte) '\n');
    return JSON.readTree(new String(line, StandardCharsets.UTF_8));
  }

  @Test
  void greetsAsQemuDoes() throws Exception {
    JsonNode greeting = JSON.readTree(monitor.greeting());

    assertThat(greeting.path("QMP").path("version").path("qemu").path("major").asInt())
        .isEqualTo(7);
  }

  @Test
  void answersQueryStatsWithTheCapturedKvmStatsAndTheRequestsId() throws Exception {
    JsonNode vcpu = answer("{\"execute\": \"query-stats\", \"arguments\": {\"target\": \"vcpu\","
        + " \"providers\": [{\"provider\": \"kvm\"}]}, \"id\": \"kvmmp-7\"}");

    assertThat(vcpu.path("id").asText()).isEqualTo("kvmmp-7");
    assertThat(vcpu.path("return")).hasSize(2);
    assertThat(vcpu.path("return").get(0).path("provider").asText()).isEqualTo("kvm");
    assertThat(answer("{\"execute\": \"query-stats\", \"arguments\": {\"target\": \"vm\"}}")
        .path("return").get(0).path("stats").size()).isEqualTo(16);
  }

  @Test
  void answersWithThisVmsUuidAndVcpuThreads() throws Exception {
    assertThat(answer("{\"execute\": \"query-uuid\"}").path("return").path("UUID").asText())
        .isEqualTo("5d1c3f0e-8a52-4d0b-9f51-2c7e44c1a0ff");
    JsonNode cpus = answer("{\"execute\": \"query-cpus-fast\", \"id\": 3}").path("return");
    assertThat(cpus).extracting(c -> c.path("thread-id").asInt()).containsExactly(501, 502);
    assertThat(cpus).extracting(c -> c.path("cpu-index").asInt()).containsExactly(0, 1);
  }

  @Test
  void refusesAnUnknownCommandAsQemuDoes() throws Exception {
    JsonNode reply = answer("{\"execute\": \"quit\", \"id\": \"x\"}");

    assertThat(reply.path("error").path("class").asText()).isEqualTo("CommandNotFound");
    assertThat(reply.path("id").asText()).isEqualTo("x");
  }
}
