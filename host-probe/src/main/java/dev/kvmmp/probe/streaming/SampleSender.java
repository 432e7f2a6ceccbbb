package dev.kvmmp.probe.streaming;

import dev.kvmmp.probe.streaming.SampleBuffer.Entry;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.topics.KvmmpTopics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that hands kept samples to the producer, oldest first. While sends go through
 * it keeps up to {@value #MAX_IN_FLIGHT} in flight. When one fails the broker counts as
 * unreachable: the sender then waits until nothing is in flight and asks the cluster (without
 * sending samples) whether it answers, so that while the broker is away nothing is in flight and
 * the buffer drops exactly the oldest samples. After a failure it sends one sample and waits for
 * its acknowledgement before it sends more: a batch that expires while a later one goes through
 * would otherwise put the resent samples behind newer ones.
 */
final class SampleSender implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(SampleSender.class);
  static final int MAX_IN_FLIGHT = 1000;
  private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
  private static final Duration IDLE_WAIT = Duration.ofMillis(200);

  private final SampleBuffer<HostSample> buffer;
  private final Producer<String, HostSample> producer;
  private final BooleanSupplier clusterAnswers;
  private final String where;
  private final Semaphore wake = new Semaphore(0);
  private final CountDownLatch stopped = new CountDownLatch(1);
  // 0 while sends go through; else System.nanoTime() when the first of a run of failures came.
  private final AtomicLong failingSince = new AtomicLong();
  private volatile boolean reachable = true;
  // Whether the last outcome was an acknowledgement; until then one sample at a time.
  private volatile boolean confirmed;
  private volatile boolean stopping;

  /**
   * @param clusterAnswers asks the cluster, within a timeout, whether it answers
   * @param where the cluster, for log lines
   */
  SampleSender(SampleBuffer<HostSample> buffer, Producer<String, HostSample> producer,
      BooleanSupplier clusterAnswers, String where) {
    this.buffer = buffer;
    this.producer = producer;
    this.clusterAnswers = clusterAnswers;
    this.where = where;
  }

  /** There is something new to send. */
  void wake() {
    wake.release();
  }

  void stop() {
    stopping = true;
    stopped.countDown();
    wake.release();
  }

  boolean reachable() {
    return reachable;
  }

  @Override
  public void run() {
    while (!stopping) {
      try {
        step();
      } catch (InterruptException | InterruptedException e) {
        if (!stopping) {
          log.warn("sample sender to {} interrupted; samples are no longer sent", where);
        }
        return;
      } catch (RuntimeException e) {
        // Nothing may end the sender while the sink lives: a bug here is logged and retried.
        log.warn("sample sender to {}: unexpected {}", where, e.toString(), e);
        pause(RETRY_PAUSE);
      }
    }
  }

  private void step() throws InterruptedException {
    if (!reachable) {
      if (buffer.inFlight() > 0 || !clusterAnswers.getAsBoolean()) {
        pause(RETRY_PAUSE);
        return;
      }
      reachable = true;
    }
    int window = confirmed ? MAX_IN_FLIGHT : 1;
    List<Entry<HostSample>> batch = buffer.takeUnsent(window - buffer.inFlight());
    if (batch.isEmpty()) {
      wake.tryAcquire(IDLE_WAIT.toNanos(), TimeUnit.NANOSECONDS);
      wake.drainPermits();
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      Entry<HostSample> e = batch.get(i);
      HostSample sample = e.item();
      try {
        producer.send(new ProducerRecord<>(KvmmpTopics.HOST_SAMPLES, sample.getHostId(), sample),
            (metadata, failure) -> settle(e, failure));
      } catch (InterruptException interrupted) {
        batch.subList(i, batch.size()).forEach(buffer::failed);
        throw interrupted;
      } catch (RuntimeException failure) {
        // No metadata within max.block.ms, or a producer that can no longer send: none of the
        // rest would go either.
        batch.subList(i, batch.size()).forEach(buffer::failed);
        unreachable(failure);
        return;
      }
    }
  }

  /** The producer's callback, on its I/O thread. */
  private void settle(Entry<HostSample> e, Exception failure) {
    if (failure == null) {
      buffer.delivered(e);
      confirmed = true;
      long since = failingSince.getAndSet(0);
      if (since != 0) {
        log.info("samples reach {} again after {} s; {} kept, {} dropped so far", where,
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since), buffer.kept(),
            buffer.dropped());
      }
    } else {
      buffer.failed(e);
      unreachable(failure);
    }
    wake.release();
  }

  private void unreachable(Exception failure) {
    confirmed = false;
    reachable = false;
    if (failingSince.compareAndSet(0, System.nanoTime())) {
      log.warn("samples do not reach {} ({}); keeping up to {}, then dropping the oldest, and "
          + "sending again when it answers", where, failure.toString(), buffer.capacity());
    }
  }

  /** Waits {@code d} or until stopped; new samples do not cut it short. */
  private void pause(Duration d) {
    try {
      stopped.await(d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
    }
  }
}
