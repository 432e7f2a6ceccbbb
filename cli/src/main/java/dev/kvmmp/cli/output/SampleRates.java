package dev.kvmmp.cli.output;

import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.VmCounters;
import java.util.Locale;
import java.util.Map;

/** One line per VM: how fast its counters grew since the previous sample, per second. */
public final class SampleRates {

  private SampleRates() {}

  public static String line(HostSample previous, HostSample current, VmCounters vm) {
    VmCounters before = previous.getVmsList().stream()
        .filter(v -> v.getVmmPid() == vm.getVmmPid())
        .findFirst().orElse(vm);
    double seconds = Math.max(1e-9,
        (current.getMonotonicNs() - previous.getMonotonicNs()) / 1e9);
    String who = vm.getVmIdentity().isEmpty() ? "pid " + vm.getVmmPid()
        : vm.getVmIdentity() + " (pid " + vm.getVmmPid() + ")";
    return String.format(Locale.ROOT, "[%d] %s: exits %s/s, halt_exits %s/s, halt_wakeup %s/s, "
            + "polls ok/tried %s/%s per s, wake-ups slept/polled %s/%s per s, "
            + "MSR writes %s/s%s",
        current.getSequence(), who,
        rate(before.getStatsMap(), vm.getStatsMap(), "exits", seconds),
        rate(before.getStatsMap(), vm.getStatsMap(), "halt_exits", seconds),
        rate(before.getStatsMap(), vm.getStatsMap(), "halt_wakeup", seconds),
        rate(before.getStatsMap(), vm.getStatsMap(), "halt_successful_poll", seconds),
        rate(before.getStatsMap(), vm.getStatsMap(), "halt_attempted_poll", seconds),
        rate(before.getEventsMap(), vm.getEventsMap(), "kvm:kvm_vcpu_wakeup/waited", seconds),
        rate(before.getEventsMap(), vm.getEventsMap(), "kvm:kvm_vcpu_wakeup/polled", seconds),
        msrWrites(before, vm, seconds),
        vm.getMissingCount() == 0 ? "" : " (" + vm.getMissingCount() + " missing, e.g. "
            + vm.getMissing(0) + ")");
  }

  private static String rate(Map<String, Long> before, Map<String, Long> after, String name,
      double seconds) {
    if (!after.containsKey(name)) {
      return "-";
    }
    return String.format(Locale.ROOT, "%,.0f",
        (after.get(name) - before.getOrDefault(name, after.get(name))) / seconds);
  }

  private static String msrWrites(VmCounters before, VmCounters after, double seconds) {
    long now = after.getMsrWritesList().stream().filter(m -> m.getName().equals("ALL"))
        .mapToLong(m -> m.getCount()).sum();
    long then = before.getMsrWritesList().stream().filter(m -> m.getName().equals("ALL"))
        .mapToLong(m -> m.getCount()).sum();
    return String.format(Locale.ROOT, "%,.0f", (now - then) / seconds);
  }
}
