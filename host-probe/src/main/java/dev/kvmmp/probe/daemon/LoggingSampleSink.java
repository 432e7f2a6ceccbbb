package dev.kvmmp.probe.daemon;

import dev.kvmmp.probe.sampling.SampleSink;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.VmCounters;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sink for a probe without Kafka: one log line per sample, periodic ones at debug (one a
 * second would drown the log), run-window snapshots at info.
 */
public final class LoggingSampleSink implements SampleSink {

  private static final Logger log = LoggerFactory.getLogger(LoggingSampleSink.class);

  @Override
  public void publish(HostSample sample) {
    if (sample.getKind() == SampleKind.SAMPLE_KIND_PERIODIC) {
      if (log.isDebugEnabled()) {
        log.debug(line(sample));
      }
    } else {
      log.info(line(sample));
    }
  }

  static String line(HostSample sample) {
    return "sample " + sample.getSequence() + " " + sample.getKind()
        + (sample.getRunId().isEmpty() ? "" : " run " + sample.getRunId()) + ": "
        + (sample.getVmsCount() == 0 ? "no VMs" : sample.getVmsList().stream()
            .map(LoggingSampleSink::vm).collect(Collectors.joining(", ")));
  }

  private static String vm(VmCounters vm) {
    return (vm.getVmIdentity().isEmpty() ? "pid " + vm.getVmmPid() : vm.getVmIdentity())
        + " exits=" + vm.getStatsOrDefault("exits", 0)
        + (vm.getMissingCount() == 0 ? "" : " (" + vm.getMissingCount() + " missing)");
  }

  @Override
  public void close() {
    // Nothing kept.
  }
}
