package dev.kvmmp.probe.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.probe.sampling.SampleSink;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.KnobValue;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.VmInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamplingLoopTest {

  private static final List<KnobValue> KNOBS = List.of(KnobValue.newBuilder()
      .setName("halt_poll_ns").setValue("200000").build());

  @TempDir
  Path proc;

  private final FakeSampleSource source = new FakeSampleSource("h");
  private final RecordingSampleSink sink = new RecordingSampleSink();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private SamplingLoop loop;

  @AfterEach
  void stop() throws Exception {
    loop.close();
  }

  @Test
  void publishesAPeriodicSampleEveryIntervalWithTheKnobValues() throws Exception {
    loop = loop(Duration.ofMillis(20));
    loop.start();

    HostSample fifth = sink.await(s -> s.getSequence() == 5);

    assertThat(fifth.getKind()).isEqualTo(SampleKind.SAMPLE_KIND_PERIODIC);
    assertThat(fifth.getKnobsList()).isEqualTo(KNOBS);
    assertThat(registry.counter("kvmmp.probe.samples", "kind", "periodic").count())
        .isGreaterThanOrEqualTo(5);
  }

  @Test
  void carriesOnAfterSamplesFailAndCountsThem() throws Exception {
    source.failure = new IllegalStateException("proc unreadable");
    loop = loop(Duration.ofMillis(10));
    loop.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (registry.counter("kvmmp.probe.sample.failures", "stage", "sample").count() < 3) {
      assertThat(System.nanoTime()).as("three failed samples within 10 s").isLessThan(deadline);
      Thread.sleep(5);
    }

    source.failure = null;

    assertThat(sink.await(s -> s.getSequence() == 2).getKind())
        .isEqualTo(SampleKind.SAMPLE_KIND_PERIODIC);
  }

  @Test
  void aPublishThatThrowsLosesOnlyThatSample() throws Exception {
    List<HostSample> kept = new CopyOnWriteArrayList<>();
    SampleSink refusingTheFirst = new SampleSink() {
      @Override
      public void publish(HostSample sample) {
        if (sample.getSequence() == 1) {
          throw new IllegalStateException("buffer full");
        }
        kept.add(sample);
      }

      @Override
      public void close() {
      }
    };
    loop = new SamplingLoop(source, () -> KNOBS, refusingTheFirst, new VmRoster(proc),
        new ProbeMetrics(registry), Duration.ofHours(1));

    loop.take(SampleKind.SAMPLE_KIND_WINDOW_START, "r");
    HostSample second = loop.take(SampleKind.SAMPLE_KIND_WINDOW_END, "r");

    assertThat(kept).containsExactly(second);
    assertThat(registry.counter("kvmmp.probe.sample.failures", "stage", "publish").count())
        .isEqualTo(1);
  }

  @Test
  void aRequestedSnapshotJoinsTheSequenceAndIsPublishedInOrder() throws Exception {
    loop = loop(Duration.ofMillis(5));
    loop.start();

    HostSample start = loop.take(SampleKind.SAMPLE_KIND_WINDOW_START, "run-1");
    HostSample end = loop.take(SampleKind.SAMPLE_KIND_WINDOW_END, "run-1");
    sink.await(s -> s.getSequence() > end.getSequence());

    assertThat(start.getRunId()).isEqualTo("run-1");
    assertThat(end.getSequence()).isGreaterThan(start.getSequence());
    assertThat(sink.samples).contains(start, end);
    assertThat(sink.samples).extracting(HostSample::getSequence).isSorted()
        .doesNotHaveDuplicates();
  }

  @Test
  void tellsItsListenerOnlyWhenTheVmsChange() throws Exception {
    List<List<VmInfo>> changes = new CopyOnWriteArrayList<>();
    loop = loop(Duration.ofHours(1));
    loop.onVmsChanged(changes::add);
    source.addVm("vm-1", 100);

    loop.take(SampleKind.SAMPLE_KIND_PERIODIC, "");
    loop.take(SampleKind.SAMPLE_KIND_PERIODIC, "");
    source.vms.clear();
    loop.take(SampleKind.SAMPLE_KIND_PERIODIC, "");

    assertThat(changes).hasSize(2);
    assertThat(changes.get(0)).extracting(VmInfo::getVmIdentity).containsExactly("vm-1");
    assertThat(changes.get(1)).isEmpty();
    assertThat(loop.vms()).isEmpty();
  }

  private SamplingLoop loop(Duration interval) {
    return new SamplingLoop(source, () -> KNOBS, sink, new VmRoster(proc),
        new ProbeMetrics(registry), interval);
  }
}
