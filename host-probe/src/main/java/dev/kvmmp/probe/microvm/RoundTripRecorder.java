package dev.kvmmp.probe.microvm;

import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * vCPU A's exit handler: at each end-of-batch exit it records the batch's round trips (after the
 * warm-up), takes the counter snapshots that bracket the measured window, reports progress, and
 * sizes the next batch; after the last one it completes {@link #finished()}.
 */
final class RoundTripRecorder implements VcpuThread.ExitHandler {

  /** Round trips per batch: a progress report and a host-clock sample each ~0.1-0.2 s here. */
  static final int BATCH = 1000;

  /** Takes a counter snapshot; the seam for where they come from. */
  interface Snapshots {
    VmCounterSnapshot take() throws KvmException;
  }

  private final Pointer memory;
  private final long tscKhz;
  private final int warmup;
  private final int measured;
  private final Snapshots snapshots;
  private final Consumer<IpiHaltProgress> progress;
  private final Histogram histogram = new Histogram(3);
  private final List<IpiHaltBatch> batches = new ArrayList<>();
  private final CompletableFuture<VmCounterSnapshot> finished = new CompletableFuture<>();
  private VmCounterSnapshot start;
  private int warmupDone;
  private int batch;
  private long batchStart;

  RoundTripRecorder(Pointer memory, long tscKhz, int warmup, int measured, Snapshots snapshots,
      Consumer<IpiHaltProgress> progress) {
    this.memory = memory;
    this.tscKhz = tscKhz;
    this.warmup = warmup;
    this.measured = measured;
    this.snapshots = snapshots;
    this.progress = progress;
  }

  /** Sets up the first batch; call before vCPU A first runs. */
  void prepare() throws KvmException {
    if (warmup == 0) {
      start = snapshots.take();
    }
    nextBatch();
  }

  @Override
  public boolean onExit(Vcpu vcpu, int exitReason) throws KvmException {
    long now = System.nanoTime();
    if (exitReason != Vcpu.EXIT_IO || vcpu.ioPort() != IpiHaltGuest.DONE_PORT) {
      throw new KvmException("vCPU A: unexpected exit to user space, " + vcpu.describeExit(exitReason)
          + (exitReason == Vcpu.EXIT_IO ? " (port 0x" + Integer.toHexString(vcpu.ioPort()) + ")"
              : "") + "; " + vcpu.state());
    }
    if (start == null) {
      warmupDone += batch;
      progress.accept(new IpiHaltProgress(true, warmupDone, warmup));
      if (warmupDone >= warmup) {
        start = snapshots.take();
      }
    } else {
      record(now - batchStart);
      if (histogram.getTotalCount() >= measured) {
        finished.complete(snapshots.take().minus(start));
        return false;
      }
    }
    nextBatch();
    return true;
  }

  private void record(long hostNs) {
    long guestNs = 0;
    for (long ticks : IpiHaltGuest.ring(memory, batch)) {
      long ns = ticks * 1_000_000L / tscKhz;
      histogram.recordValue(ns);
      guestNs += ns;
    }
    batches.add(new IpiHaltBatch(batch, hostNs, guestNs));
    progress.accept(new IpiHaltProgress(false, histogram.getTotalCount(), measured));
  }

  private void nextBatch() {
    long left = start == null ? warmup - warmupDone : measured - histogram.getTotalCount();
    batch = (int) Math.min(BATCH, left);
    IpiHaltGuest.setBatch(memory, batch);
    batchStart = System.nanoTime();
  }

  /** Completes with the counters' change over the measured window. */
  CompletableFuture<VmCounterSnapshot> finished() {
    return finished;
  }

  Histogram histogram() {
    return histogram;
  }

  List<IpiHaltBatch> batches() {
    return batches;
  }
}
