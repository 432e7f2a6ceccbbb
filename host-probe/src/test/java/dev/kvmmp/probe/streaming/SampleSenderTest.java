package dev.kvmmp.probe.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.topics.ProtoSerializer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sender against a producer whose sends the test completes or fails one by one. */
class SampleSenderTest {

  private final MockProducer<String, HostSample> producer =
      new MockProducer<>(false, null, new StringSerializer(), new ProtoSerializer<>());
  private final SampleBuffer<HostSample> buffer = new SampleBuffer<>(100);
  private final AtomicBoolean clusterAnswers = new AtomicBoolean(true);
  private final AtomicInteger probes = new AtomicInteger();
  private final SampleSender sender = new SampleSender(buffer, producer, () -> {
    probes.incrementAndGet();
    return clusterAnswers.get();
  }, "test");
  private final Thread thread = new Thread(sender, "sender-under-test");

  @AfterEach
  void stop() throws InterruptedException {
    sender.stop();
    thread.join(5_000);
    assertThat(thread.isAlive()).as("sender stopped").isFalse();
  }

  @Test
  void sendsOneSampleAloneUntilTheFirstAcknowledgementThenSeveral() {
    add(1, 2, 3);
    thread.start();

    await(() -> sent().size() == 1, "sample 1 sent");
    pause();
    assertThat(sent()).as("2 and 3 wait for 1's acknowledgement").containsExactly(1L);
    producer.completeNext();
    await(() -> sent().size() == 3, "samples 2 and 3 sent together");
    producer.completeNext();
    producer.completeNext();
    await(buffer::isSettled, "all acknowledged");
    assertThat(buffer.delivered()).isEqualTo(3);
  }

  @Test
  void sendsNothingWhileTheClusterIsSilentThenResendsInOrderOneFirst() {
    add(1);
    thread.start();
    await(() -> sent().size() == 1, "sample 1 sent");
    producer.completeNext();
    add(2, 3);
    await(() -> sent().size() == 3, "samples 2 and 3 sent");

    clusterAnswers.set(false);
    producer.errorNext(new TimeoutException("expired"));
    producer.errorNext(new TimeoutException("expired"));
    int probesBefore = probes.get();
    await(() -> probes.get() >= probesBefore + 2, "the cluster asked twice");
    assertThat(sent()).as("nothing sent while the cluster is silent").hasSize(3);
    assertThat(sender.reachable()).isFalse();

    clusterAnswers.set(true);
    await(() -> sent().size() == 4, "sample 2 sent again");
    pause();
    assertThat(sent()).as("3 waits for 2's acknowledgement").containsExactly(1L, 2L, 3L, 2L);
    producer.completeNext();
    await(() -> sent().size() == 5, "sample 3 sent again after 2 is acknowledged");
    assertThat(sent().get(4)).isEqualTo(3L);
    producer.completeNext();
    await(buffer::isSettled, "all acknowledged");
    assertThat(buffer.delivered()).isEqualTo(3);
  }

  private void add(long... sequences) {
    for (long s : sequences) {
      buffer.add(HostSample.newBuilder().setHostId("h").setSequence(s).build());
      sender.wake();
    }
  }

  private List<Long> sent() {
    return producer.history().stream().map(ProducerRecord::value).map(HostSample::getSequence)
        .toList();
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      sleep(2);
    }
  }

  /** Time enough for the sender to send more, if it were going to. */
  private static void pause() {
    sleep(100);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
