package dev.kvmmp.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The QMP monitor of a simulated VM: answers the commands the probe sends with the replies a real
 * QEMU 7.2 gave on this kind of host (resources {@code qmp/}, see their README), with the VM's own
 * UUID and vCPU thread ids, and the request's id added as QEMU adds it.
 */
final class CapturedQemuMonitor implements SimulatedQmpServer.Monitor {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GREETING = resource("greeting.json");
  private static final String SCHEMAS = resource("query-stats-schemas.json");
  private static final String VM_STATS = resource("query-stats-vm.json");
  private static final String VCPU_STATS = resource("query-stats-vcpu.json");
  private static final JsonNode CPU_TEMPLATE = parse(resource("query-cpus-fast.json"))
      .get("return").get(0);

  private final String uuidReply;
  private final String cpusReply;

  /** A VM whose vCPU {@code i} runs on thread {@code vcpuThreadIds.get(i)}. */
  CapturedQemuMonitor(String uuid, List<Integer> vcpuThreadIds) {
    ObjectNode uuidReturn = JSON.createObjectNode();
    uuidReturn.putObject("return").put("UUID", uuid);
    uuidReply = uuidReturn.toString();
    ObjectNode cpus = JSON.createObjectNode();
    ArrayNode list = cpus.putArray("return");
    for (int i = 0; i < vcpuThreadIds.size(); i++) {
      ObjectNode cpu = CPU_TEMPLATE.deepCopy();
      cpu.put("cpu-index", i).put("thread-id", vcpuThreadIds.get(i))
          .put("qom-path", "/machine/unattached/device[" + i + "]");
      ((ObjectNode) cpu.get("props")).put("core-id", i);
      list.add(cpu);
    }
    cpusReply = cpus.toString();
  }

  @Override
  public byte[] greeting() {
    return line(GREETING, null);
  }

  @Override
  public byte[] answer(String requestLine) {
    JsonNode request;
    try {
      request = JSON.readTree(requestLine);
    } catch (IOException e) {
      return line(error("GenericError", "JSON parse error, " + e.getMessage()), null);
    }
    JsonNode id = request.get("id");
    String command = request.path("execute").asText("");
    String reply = switch (command) {
      case "qmp_capabilities" -> "{\"return\": {}}";
      case "query-stats-schemas" -> SCHEMAS;
      case "query-stats" -> switch (request.path("arguments").path("target").asText("")) {
        case "vm" -> VM_STATS;
        case "vcpu" -> VCPU_STATS;
        default -> error("GenericError", "simulated VM: only targets vm and vcpu");
      };
      case "query-uuid" -> uuidReply;
      case "query-cpus-fast" -> cpusReply;
      default -> error("CommandNotFound", "The command " + command + " has not been found");
    };
    return line(reply, id);
  }

  /** {@code reply} as one line, with {@code id} as its last member when the request had one. */
  private static byte[] line(String reply, JsonNode id) {
    String text = id == null ? reply
        : reply.substring(0, reply.lastIndexOf('}')) + ", \"id\": " + id + "}";
    return (text + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static String error(String errorClass, String description) {
    ObjectNode reply = JSON.createObjectNode();
    reply.putObject("error").put("class", errorClass).put("desc", description);
    return reply.toString();
  }

  private static String resource(String name) {
    try (InputStream in = CapturedQemuMonitor.class.getResourceAsStream("qmp/" + name)) {
      if (in == null) {
        throw new IllegalStateException("resource qmp/" + name + " missing beside "
            + CapturedQemuMonitor.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource qmp/" + name, e);
    }
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("resource is not JSON: " + text, e);
    }
  }
}
