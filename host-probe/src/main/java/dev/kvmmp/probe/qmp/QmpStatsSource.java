package dev.kvmmp.probe.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kvmmp.proto.v1.VmCounters;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A VM's KVM counters read from its QEMU over QMP ({@code query-stats}, QEMU 7.1+): the one
 * cross-process source that also works under kernel lockdown, where debugfs is closed.
 *
 * <p>{@link VmCounters#getStatsMap()} holds the <em>cumulative</em> stats only, by the kernel's
 * names: per-vCPU ones summed over vCPUs, per-VM ones as they are. Instant and peak values (e.g.
 * {@code blocking}, {@code pages_4k}, {@code max_mmu_rmap_size}) and histograms ({@code
 * halt_*_hist}) are left out: consumers take deltas between readings, which means nothing for
 * them, and a sum over vCPUs of a boolean or a peak is not a value of the VM.
 *
 * <p>Which stats are cumulative comes from {@code query-stats-schemas}, asked once and kept; it is
 * asked again when a reply names a stat the kept schema does not know (another QEMU binary). The
 * VM's UUID is asked once per QMP connection: it does not change while QEMU runs.
 */
public final class QmpStatsSource {

  /** The value of {@link VmCounters#getSource()} for these counters. */
  public static final String SOURCE = "qmp";

  static final String COMMAND = "query-stats";
  private static final String CUMULATIVE = "cumulative";
  private static final String NIL_UUID = "00000000-0000-0000-0000-000000000000";

  private static final List<QmpCommand> STATS_COMMANDS = List.of(
      new QmpCommand(COMMAND, statsRequest("vm")), new QmpCommand(COMMAND, statsRequest("vcpu")));

  private volatile StatsSchema schema;
  /** The UUID QEMU gave over {@link #uuidFrom}, the connection it was asked on. */
  private volatile Identity identity;

  private record Identity(QmpClient uuidFrom, String uuid) {}

  /**
   * One reading of the VM behind {@code qmp}. {@code vm_identity} is QEMU's {@code -uuid} (the
   * guest's SMBIOS product UUID), empty when QEMU has none; {@code vmm_pid} is left for the caller.
   */
  public VmCounters read(QmpClient qmp) throws IOException {
    StatsSchema known = schema;
    if (known == null) {
      known = fetchSchema(qmp);
    }
    String uuid = uuid(qmp);
    // Both in one go: one wakeup of QEMU and of the probe.
    List<JsonNode> replies = qmp.executeAll(STATS_COMMANDS);
    JsonNode vm = replies.get(0);
    JsonNode vcpu = replies.get(1);
    try {
      return toCounters(known, vm, vcpu, uuid);
    } catch (UnknownStatException e) {
      return toCounters(fetchSchema(qmp), vm, vcpu, uuid);
    }
  }

  private String uuid(QmpClient qmp) throws IOException {
    Identity known = identity;
    if (known == null || known.uuidFrom() != qmp) {
      known = new Identity(qmp, qmp.execute("query-uuid").path("UUID").asText("")
          .toLowerCase(Locale.ROOT));
      identity = known;
    }
    return known.uuid();
  }

  private StatsSchema fetchSchema(QmpClient qmp) throws IOException {
    ObjectNode arguments = JsonNodeFactory.instance.objectNode().put("provider", "kvm");
    StatsSchema fetched = StatsSchema.parse(qmp.execute(StatsSchema.COMMAND, arguments));
    schema = fetched;
    return fetched;
  }

  private static ObjectNode statsRequest(String target) {
    ObjectNode arguments = JsonNodeFactory.instance.objectNode().put("target", target);
    arguments.putArray("providers").addObject().put("provider", StatsSchema.PROVIDER);
    return arguments;
  }

  /** The counters from a {@code query-stats} reply for target {@code vm} and one for {@code vcpu}. */
  static VmCounters toCounters(StatsSchema schema, JsonNode vmReply, JsonNode vcpuReply,
      String uuid) throws QmpException {
    Map<String, Long> stats = new TreeMap<>();
    addCumulative(schema, "vm", vmReply, stats);
    if (addCumulative(schema, "vcpu", vcpuReply, stats) == 0) {
      throw new QmpException(COMMAND, COMMAND
          + " (target vcpu): no kvm stats; is QEMU running with KVM (-enable-kvm)?");
    }
    return VmCounters.newBuilder()
        .setVmIdentity(NIL_UUID.equals(uuid) ? "" : uuid)
        .setSource(SOURCE)
        .putAllStats(stats)
        .build();
  }

  /** Adds the reply's cumulative kvm stats into {@code sums}; returns how many entries it had. */
  private static int addCumulative(StatsSchema schema, String target, JsonNode reply,
      Map<String, Long> sums) throws QmpException {
    String where = COMMAND + " (target " + target + ")";
    if (!reply.isArray()) {
      throw new QmpException(COMMAND, where + ": expected an array, got " + reply.getNodeType());
    }
    int entries = 0;
    for (int i = 0; i < reply.size(); i++) {
      JsonNode entry = reply.get(i);
      if (!StatsSchema.PROVIDER.equals(entry.path("provider").asText())) {
        continue;
      }
      entries++;
      String entryName = where + ", entry " + i
          + (entry.has("qom-path") ? " (" + entry.get("qom-path").asText() + ")" : "");
      JsonNode stats = entry.path("stats");
      if (!stats.isArray()) {
        throw new QmpException(COMMAND, entryName + ": expected a 'stats' array, got "
            + stats.getNodeType());
      }
      for (JsonNode stat : stats) {
        String name = stat.path("name").asText("");
        if (name.isEmpty()) {
          throw new QmpException(COMMAND, entryName + ": a stat without a 'name': " + stat);
        }
        String type = schema.type(target, name).orElseThrow(
            () -> new UnknownStatException(entryName + ": stat '" + name
                + "' is not described by " + StatsSchema.COMMAND));
        if (CUMULATIVE.equals(type)) {
          // u64 sums wrap like the kernel's counters; proto uint64 keeps the same bits.
          sums.merge(name, unsignedLong(stat.get("value"), entryName, name), Long::sum);
        }
      }
    }
    return entries;
  }

  private static long unsignedLong(JsonNode value, String entryName, String name)
      throws QmpException {
    if (value != null && value.canConvertToLong() && value.isIntegralNumber()) {
      long v = value.longValue();
      if (v >= 0) {
        return v;
      }
    }
    // Jackson reads numbers above Long.MAX_VALUE as BigInteger; its low 64 bits are the u64.
    if (value == null || !value.isIntegralNumber() || value.bigIntegerValue().signum() < 0
        || value.bigIntegerValue().bitLength() > 64) {
      throw new QmpException(COMMAND, entryName + ": cumulative stat '" + name
          + "' should be an unsigned 64-bit integer, got "
          + (value == null ? "no 'value'" : value.getNodeType() + " " + value));
    }
    return value.bigIntegerValue().longValue();
  }

  /** A stat the kept schema does not describe: worth asking QEMU for its schema again. */
  private static final class UnknownStatException extends QmpException {
    UnknownStatException(String message) {
      super(COMMAND, message);
    }
  }
}
