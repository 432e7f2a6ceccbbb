package dev.kvmmp.probe.qmp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kvmmp.proto.v1.VmCounters;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

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
 *
 * <p>One source per VM, one reading at a time: what a reading needs is kept for the next, so that
 * a reading allocates little beyond the counters it returns.
 */
public final class QmpStatsSource {

  /** The value of {@link VmCounters#getSource()} for these counters. */
  public static final String SOURCE = "qmp";

  static final String COMMAND = "query-stats";
  private static final String NIL_UUID = "00000000-0000-0000-0000-000000000000";

  private static final List<QmpCommand> STATS_COMMANDS = List.of(
      new QmpCommand(COMMAND, statsRequest("vm")), new QmpCommand(COMMAND, statsRequest("vcpu")));

  private final StatSums sums = new StatSums();
  private Readers readers;
  /** The UUID QEMU gave over {@link #uuidFrom}, the connection it was asked on. */
  private Identity identity;

  private record Identity(QmpClient uuidFrom, String uuid) {}

  /** The readers of both targets' replies under one schema. */
  private record Readers(StatsSchema schema, QueryStatsReader vm, QueryStatsReader vcpu) {
    static Readers of(StatsSchema schema) {
      return new Readers(schema, new QueryStatsReader(schema, "vm"),
          new QueryStatsReader(schema, "vcpu"));
    }

    QueryStatsReader of(String target) {
      return "vm".equals(target) ? vm : vcpu;
    }
  }

  /** A reading asked for by {@link #request} and not yet collected. */
  public static final class Reading {
    private final QmpClient qmp;
    private final String uuid;
    private final QmpClient.Sent sent;

    private Reading(QmpClient qmp, String uuid, QmpClient.Sent sent) {
      this.qmp = qmp;
      this.uuid = uuid;
      this.sent = sent;
    }
  }

  /**
   * One reading of the VM behind {@code qmp}. {@code vm_identity} is QEMU's {@code -uuid} (the
   * guest's SMBIOS product UUID), empty when QEMU has none; {@code vmm_pid} is left for the caller.
   */
  public VmCounters read(QmpClient qmp) throws IOException {
    return collect(request(qmp), VmCounters.newBuilder()).build();
  }

  /**
   * The first half of {@link #read}: asks QEMU for the stats and returns without waiting, so that
   * the VMs of one sample all work at once. Until it is collected, use {@code qmp} for nothing
   * else.
   */
  public Reading request(QmpClient qmp) throws IOException {
    if (readers == null) {
      readers = Readers.of(fetchSchema(qmp));
    }
    // Both targets in one go: one wakeup of QEMU and of the probe.
    return new Reading(qmp, uuid(qmp), qmp.send(STATS_COMMANDS));
  }

  /**
   * The second half of {@link #read}: sets the identity, source and stats of a reading asked for
   * by {@link #request} in {@code counters}, and returns it.
   */
  public VmCounters.Builder collect(Reading reading, VmCounters.Builder counters)
      throws IOException {
    QmpClient qmp = reading.qmp;
    List<Integer> entries;
    try {
      entries = qmp.receive(reading.sent, this::sum);
    } catch (QueryStatsReader.UnknownStatException e) {
      // Not the QEMU binary the kept schema came from: its own schema, then its stats again.
      readers = Readers.of(fetchSchema(qmp));
      entries = qmp.executeAll(STATS_COMMANDS, this::sum);
    }
    return fill(counters, entries.get(1), reading.uuid);
  }

  /** Reads a reply into {@link #sums}, without a tree of it: the tree was most of the CPU. */
  private Integer sum(JsonParser parser, QmpCommand command) throws IOException {
    String target = command.arguments().get("target").asText();
    if ("vm".equals(target)) {
      // Each reading starts with the vm target: a reading's sums start from nothing.
      sums.clear();
    }
    return readers.of(target).addCumulative(parser, sums);
  }

  private VmCounters.Builder fill(VmCounters.Builder counters, int vcpuEntries, String uuid)
      throws QmpException {
    if (vcpuEntries == 0) {
      throw new QmpException(COMMAND, COMMAND
          + " (target vcpu): no kvm stats; is QEMU running with KVM (-enable-kvm)?");
    }
    counters.setVmIdentity(NIL_UUID.equals(uuid) ? "" : uuid).setSource(SOURCE);
    sums.forEach(counters::putStats);
    return counters;
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

  private static StatsSchema fetchSchema(QmpClient qmp) throws IOException {
    ObjectNode arguments = JsonNodeFactory.instance.objectNode().put("provider", "kvm");
    return StatsSchema.parse(qmp.execute(StatsSchema.COMMAND, arguments));
  }

  private static ObjectNode statsRequest(String target) {
    ObjectNode arguments = JsonNodeFactory.instance.objectNode().put("target", target);
    arguments.putArray("providers").addObject().put("provider", StatsSchema.PROVIDER);
    return arguments;
  }

  /** The counters from a {@code query-stats} reply for target {@code vm} and one for {@code vcpu}. */
  static VmCounters toCounters(StatsSchema schema, JsonNode vmReply, JsonNode vcpuReply,
      String uuid) throws IOException {
    QmpStatsSource source = new QmpStatsSource();
    source.readers = Readers.of(schema);
    source.sum(parserAtStart(vmReply), STATS_COMMANDS.get(0));
    int vcpuEntries = source.sum(parserAtStart(vcpuReply), STATS_COMMANDS.get(1));
    return source.fill(VmCounters.newBuilder(), vcpuEntries, uuid).build();
  }

  private static JsonParser parserAtStart(JsonNode reply) throws IOException {
    JsonParser parser = reply.traverse(QmpMessage.JSON);
    parser.nextToken();
    return parser;
  }
}
