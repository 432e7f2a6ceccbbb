package dev.kvmmp.probe.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvmmp.probe.streaming.SampleBuffer.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SampleBufferTest {

  @Test
  void dropsTheOldestBeyondTheBoundAndCountsThem() {
    SampleBuffer<Integer> buffer = new SampleBuffer<>(3);
    for (int i = 1; i <= 5; i++) {
      buffer.add(i);
    }

    assertThat(buffer.kept()).isEqualTo(3);
    assertThat(buffer.dropped()).isEqualTo(2);
    assertThat(items(buffer.takeUnsent(10))).containsExactly(3, 4, 5);
  }

  @Test
  void keepsASampleUntilAcknowledgedAndSendsAFailedOneAgain() {
    SampleBuffer<String> buffer = new SampleBuffer<>(10);
    buffer.add("a");
    buffer.add("b");
    List<Entry<String>> sent = buffer.takeUnsent(10);
    assertThat(buffer.takeUnsent(10)).as("in flight, not sent twice").isEmpty();

    buffer.failed(sent.get(0));
    buffer.delivered(sent.get(1));

    assertThat(buffer.kept()).isEqualTo(1);
    List<Entry<String>> again = buffer.takeUnsent(10);
    assertThat(items(again)).containsExactly("a");
    buffer.delivered(again.get(0));
    assertThat(buffer.isSettled()).isTrue();
    assertThat(buffer.delivered()).isEqualTo(2);
    assertThat(buffer.dropped()).isZero();
  }

  @Test
  void takesOldestFirstUpToTheGivenNumber() {
    SampleBuffer<Integer> buffer = new SampleBuffer<>(10);
    for (int i = 1; i <= 5; i++) {
      buffer.add(i);
    }

    assertThat(items(buffer.takeUnsent(2))).containsExactly(1, 2);
    assertThat(items(buffer.takeUnsent(2))).containsExactly(3, 4);
    assertThat(buffer.inFlight()).isEqualTo(4);
  }

  @Test
  void anInFlightSamplePushedOutIsDroppedWhenItsSendFails() {
    SampleBuffer<String> buffer = new SampleBuffer<>(2);
    buffer.add("a");
    Entry<String> a = buffer.takeUnsent(1).get(0);
    buffer.add("b");
    buffer.add("c");
    assertThat(buffer.kept()).as("the bound holds while 'a' is in flight").isEqualTo(2);
    assertThat(buffer.evictedInFlight()).isEqualTo(1);
    assertThat(buffer.dropped()).as("its fate is not known yet").isZero();

    buffer.failed(a);

    assertThat(buffer.dropped()).isEqualTo(1);
    assertThat(items(buffer.takeUnsent(10))).as("not sent again").containsExactly("b", "c");
  }

  @Test
  void anInFlightSamplePushedOutCountsAsDeliveredWhenItArrivesAfterAll() {
    SampleBuffer<String> buffer = new SampleBuffer<>(1);
    buffer.add("a");
    Entry<String> a = buffer.takeUnsent(1).get(0);
    buffer.add("b");

    buffer.delivered(a);

    assertThat(buffer.delivered()).isEqualTo(1);
    assertThat(buffer.dropped()).isZero();
    assertThat(buffer.kept()).as("'b' stays").isEqualTo(1);
  }

  @Test
  void everyAcceptedSampleIsDeliveredDroppedKeptOrInFlightWhateverHappens() {
    Random random = new Random(42);
    SampleBuffer<Integer> buffer = new SampleBuffer<>(7);
    List<Entry<Integer>> inFlight = new ArrayList<>();
    long accepted = 0;
    for (int step = 0; step < 20_000; step++) {
      int op = random.nextInt(4);
      if (op == 0) {
        buffer.add(step);
        accepted++;
      } else if (op == 1) {
        inFlight.addAll(buffer.takeUnsent(random.nextInt(4)));
      } else if (!inFlight.isEmpty()) {
        Entry<Integer> e = inFlight.remove(random.nextInt(inFlight.size()));
        if (op == 2) {
          buffer.delivered(e);
        } else {
          buffer.failed(e);
        }
      }
      assertThat(buffer.delivered() + buffer.dropped() + buffer.kept() + buffer.evictedInFlight())
          .as("step %d", step).isEqualTo(accepted);
      assertThat(buffer.kept()).isLessThanOrEqualTo(7);
      assertThat(buffer.inFlight()).isEqualTo(inFlight.size());
    }
  }

  @Test
  void refusesABoundBelowOne() {
    assertThatThrownBy(() -> new SampleBuffer<>(0)).hasMessage("capacity must be >= 1, was 0");
  }

  private static <T> List<T> items(List<Entry<T>> entries) {
    return entries.stream().map(Entry::item).toList();
  }
}
