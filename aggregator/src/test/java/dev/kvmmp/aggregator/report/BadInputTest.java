package dev.kvmmp.aggregator.report;

import static dev.kvmmp.aggregator.report.ReportInputs.run;
import static dev.kvmmp.aggregator.report.ReportInputs.sample;
import static dev.kvmmp.aggregator.report.ReportInputs.vm;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunReport;
import dev.kvmmp.proto.v1.SampleKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Snapshots made at random (duplicated, missing, misordered, counters up and down, VMs swapped):
 * the builder never throws and no figure in any report is negative.
 */
class BadInputTest {

  private static final List<SampleKind> KINDS = List.of(SampleKind.SAMPLE_KIND_IDLE_BASELINE,
      SampleKind.SAMPLE_KIND_IDLE_BASELINE_END, SampleKind.SAMPLE_KIND_WINDOW_START,
      SampleKind.SAMPLE_KIND_WINDOW_END, SampleKind.SAMPLE_KIND_PERIODIC);

  @Test
  void randomSnapshotsNeverCrashNorGiveNegativeFigures() {
    Random random = new Random(20261126);
    int flagged = 0;
    for (int trial = 0; trial < 2000; trial++) {
      List<HostSample> samples = new ArrayList<>();
      int count = random.nextInt(7);
      for (int i = 0; i < count; i++) {
        HostSample s = sample(KINDS.get(random.nextInt(KINDS.size())), random.nextInt(6),
            random.nextInt(4) * 500_000_000L,
            ReportInputs.withMsrs(vm(random.nextInt(5000)).setVmmPid(40 + random.nextInt(2)),
                Map.of(0x830, (long) random.nextInt(100), 0, (long) random.nextInt(100))));
        samples.add(s);
        if (random.nextInt(5) == 0) {
          samples.add(s);
        }
      }
      Run.Builder run = run();
      if (random.nextBoolean()) {
        run.getResultBuilder().setTransactions(random.nextInt(3));
      }
      if (random.nextInt(10) == 0) {
        run.getResultBuilder().getGuestDeltasBuilder().putEvents(GuestFigures.MSR_ICR, -5);
      }
      RunReport report = RunReports.build(run.build(), samples, ReportSettings.DEFAULTS,
          Instant.EPOCH);
      assertNoNegative(report, "trial " + trial);
      flagged += report.getNoiseCount() > 0 ? 1 : 0;
    }
    // The generator does make bad input: most trials are flagged.
    assertThat(flagged).isGreaterThan(1000);
  }

  /** Every double and every integer field anywhere in the message is >= 0. */
  private static void assertNoNegative(Message message, String where) {
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      List<?> values = field.getKey().isRepeated() ? (List<?>) field.getValue()
          : List.of(field.getValue());
      for (Object value : values) {
        String name = where + " " + field.getKey().getFullName();
        if (value instanceof Message nested) {
          assertNoNegative(nested, where);
        } else if (value instanceof Double d) {
          assertThat(d).as(name).isGreaterThanOrEqualTo(0).isNotNaN();
        } else if (value instanceof Long l) {
          assertThat(l).as(name).isGreaterThanOrEqualTo(0);
        }
      }
    }
  }
}
