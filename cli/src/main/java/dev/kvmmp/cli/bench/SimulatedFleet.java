package dev.kvmmp.cli.bench;

import dev.kvmmp.proto.v1.WorkerServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N simulated workers, each on a real gRPC stream of its own, carried by a few loopback
 * connections (one HTTP/2 connection per channel) as many workers behind a few proxies would
 * be. Half of them have 2 vCPUs, half 4, so that two fleets can select them.
 */
final class SimulatedFleet implements AutoCloseable {

  private static final long CLOSE_TIMEOUT_SECONDS = 10;

  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<SimulatedWorker> workers = new ArrayList<>();
  private final ScheduledExecutorService scheduler;
  private final DecisionLatencies latencies;
  private final SimulatedResult result = new SimulatedResult();
  private final long runMillis;
  private final CountDownLatch registered;
  private final AtomicInteger cancelled = new AtomicInteger();
  private final Map<String, String> lost = new ConcurrentHashMap<>();
  private volatile boolean closing;

  private SimulatedFleet(int size, long runMillis, DecisionLatencies latencies) {
    this.runMillis = runMillis;
    this.latencies = latencies;
    this.registered = new CountDownLatch(size);
    // Two threads send every heartbeat and result; the streams' replies run on netty's threads.
    this.scheduler = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "bench-simulated-workers");
      t.setDaemon(true);
      return t;
    });
  }

  /** Opens {@code channelCount} connections to the coordinator and registers every worker. */
  static SimulatedFleet connect(int port, int channelCount, int size, long runMillis,
      DecisionLatencies latencies) {
    SimulatedFleet fleet = new SimulatedFleet(size, runMillis, latencies);
    for (int c = 0; c < channelCount; c++) {
      // Replies handled on the transport thread: no hand-off delay added to what is measured.
      fleet.channels.add(NettyChannelBuilder.forAddress("127.0.0.1", port)
          .usePlaintext()
          .directExecutor()
          .build());
    }
    for (int i = 0; i < size; i++) {
      SimulatedWorker worker = new SimulatedWorker(String.format("bench-%05d", i),
          i % 2 == 0 ? 2 : 4, fleet);
      fleet.workers.add(worker);
      worker.connect(WorkerServiceGrpc.newStub(fleet.channels.get(i % channelCount)), i);
    }
    return fleet;
  }

  int registeredCount() {
    return (int) (workers.size() - registered.getCount());
  }

  boolean awaitRegistered(long timeout, TimeUnit unit) throws InterruptedException {
    return registered.await(timeout, unit);
  }

  /** Streams that ended or failed before the bench closed them. */
  int lostCount() {
    return lost.size();
  }

  /** One lost stream and why, for the report. */
  Optional<String> firstLoss() {
    return lost.entrySet().stream().findFirst().map(e -> e.getKey() + ": " + e.getValue());
  }

  int cancelledCount() {
    return cancelled.get();
  }

  /** Workers whose last result expected another run that never came. */
  int waitingCount() {
    return (int) workers.stream().filter(SimulatedWorker::waiting).count();
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  DecisionLatencies latencies() {
    return latencies;
  }

  SimulatedResult result() {
    return result;
  }

  long runMillis() {
    return runMillis;
  }

  void registered() {
    registered.countDown();
  }

  void cancelled() {
    cancelled.incrementAndGet();
  }

  void lost(String workerId, String why) {
    if (!closing) {
      lost.putIfAbsent(workerId, why);
    }
  }

  @Override
  public void close() throws InterruptedException {
    closing = true;
    scheduler.shutdownNow();
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
    }
    for (ManagedChannel channel : channels) {
      channel.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
