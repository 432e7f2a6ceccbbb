package dev.kvmmp.probe.microvm;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ipi_halt host workload: a two-vCPU micro-VM whose vCPU A sends vCPU B an IPI and halts
 * until B, woken from its own halt, answers with an IPI; each round trip timed by the guest's
 * TSC. One instance runs once; {@link #cancel()} may come from any thread. The VM, its fds and
 * its threads are gone when {@link #run} returns or throws.
 */
public final class IpiHaltRun {

  private static final Logger LOG = LoggerFactory.getLogger(IpiHaltRun.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration CANCEL_CHECK = Duration.ofMillis(50);

  private final IpiHaltSettings settings;
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private final Consumer<Pointer> guestPatch;

  public IpiHaltRun(IpiHaltSettings settings) {
    this(settings, memory -> { });
  }

  /** With a change to the loaded guest memory: tests make a guest that never answers. */
  IpiHaltRun(IpiHaltSettings settings, Consumer<Pointer> guestPatch) {
    this.settings = settings;
    this.guestPatch = guestPatch;
  }

  /** Why ipi_halt cannot run on this host (no KVM, no permission), or empty when it can. */
  public static Optional<String> unavailable(Path kvm) {
    try (KvmDevice device = KvmDevice.open(kvm)) {
      return Optional.empty();
    } catch (KvmException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** Makes a running {@link #run} stop and throw, or a later one refuse to start. */
  public void cancel() {
    cancelled.countDown();
  }

  /**
   * Runs the VM to the end of the measured round trips.
   *
   * @param progress told after every batch, on vCPU A's thread: keep it short
   * @throws KvmException when KVM is unavailable (naming why) or a call fails
   * @throws IpiHaltException past the deadline, cancelled, or a vCPU failed, with vCPU states
   */
  public IpiHaltResult run(Consumer<IpiHaltProgress> progress) throws KvmException {
    long deadline = System.nanoTime() + settings.deadline().toNanos();
    List<String> notes = new ArrayList<>();
    List<Integer> cpus = settings.placement().cpus(settings.hostCpus().isEmpty()
        ? CpuAffinity.allowedCpus() : settings.hostCpus());
    try (KvmDevice kvm = KvmDevice.open(settings.kvm());
        MicroVm vm = MicroVm.create(kvm, IpiHaltGuest.MEMORY_BYTES)) {
      if (settings.haltPollNs().isPresent()) {
        if (kvm.checkExtension(KvmIoctl.CAP_HALT_POLL) > 0) {
          vm.setHaltPollNs(settings.haltPollNs().getAsLong());
        } else {
          notes.add("no KVM_CAP_HALT_POLL (Linux < 5.8): ran with the module's halt_poll_ns, not "
              + settings.haltPollNs().getAsLong() + " ns");
        }
      }
      IpiHaltGuest.load(vm.memory());
      guestPatch.accept(vm.memory());
      Memory cpuid = kvm.supportedCpuid();
      List<Vcpu> vcpus = List.of(
          setUp(vm.addVcpu(0), cpuid, IpiHaltGuest.A_ENTRY, IpiHaltGuest.A_STACK),
          setUp(vm.addVcpu(1), cpuid, IpiHaltGuest.B_ENTRY, IpiHaltGuest.B_STACK));
      try (MicroVmCounters counters = MicroVmCounters.open(kvm, vcpus, notes)) {
        return runThreads(vm, vcpus, cpus, counters, progress, deadline, notes);
      }
    }
  }

  private static Vcpu setUp(Vcpu vcpu, Memory cpuid, int entry, int stack) throws KvmException {
    vcpu.setCpuid(cpuid);
    vcpu.setRealModeFlat();
    vcpu.enableX2apic();
    vcpu.setEntry(entry, stack);
    vcpu.setRunnable();
    return vcpu;
  }

  private IpiHaltResult runThreads(MicroVm vm, List<Vcpu> vcpus, List<Integer> cpus,
      MicroVmCounters counters, Consumer<IpiHaltProgress> progress, long deadline, List<String> notes)
      throws KvmException {
    long tscKhz = vcpus.get(0).tscKhz();
    RoundTripRecorder recorder = new RoundTripRecorder(vm.memory(), tscKhz,
        settings.warmupRoundTrips(), settings.roundTrips(), counters::snapshot, progress);
    CountDownLatch go = new CountDownLatch(1);
    Consumer<Throwable> onFailure = recorder.finished()::completeExceptionally;
    List<VcpuThread> threads = new ArrayList<>();
    try {
      threads.add(VcpuThread.start(vcpus.get(1), cpus.get(1), (vcpu, reason) -> {
        throw new KvmException("vCPU B: unexpected exit to user space, "
            + vcpu.describeExit(reason));
      }, go, onFailure));
      threads.add(VcpuThread.start(vcpus.get(0), cpus.get(0), recorder, go, onFailure));
      List<Integer> tids = new ArrayList<>();
      for (VcpuThread thread : List.of(threads.get(1), threads.get(0))) {
        tids.add(thread.tid(remaining(deadline)));
      }
      counters.countEvents(tids);
      recorder.prepare();
      go.countDown();
      VmCounterSnapshot delta = await(recorder, deadline);
      stopAll(threads);
      return new IpiHaltResult(settings, cpus, recorder.histogram(), tscKhz, recorder.batches(),
          delta.stats(), delta.events(), notes);
    } catch (IpiHaltFailure failure) {
      stopAll(threads);
      List<VcpuState> states = new ArrayList<>();
      for (Vcpu vcpu : vcpus) {
        states.add(vcpu.state());
      }
      throw new IpiHaltException(failure.getMessage(), states);
    } finally {
      stopQuietly(threads);
    }
  }

  /** Why the wait for the last batch ended early; turned into an IpiHaltException. */
  private static final class IpiHaltFailure extends Exception {
    IpiHaltFailure(String message) {
      super(message);
    }
  }

  private VmCounterSnapshot await(RoundTripRecorder recorder, long deadline)
      throws IpiHaltFailure {
    try {
      while (true) {
        // Short waits so that a cancel is seen within one of them.
        long wait = Math.min(remaining(deadline).toNanos(), CANCEL_CHECK.toNanos());
        try {
          return recorder.finished().get(wait, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          if (cancelled.getCount() == 0) {
            return fail("ipi_halt: cancelled");
          }
          if (remaining(deadline).isZero()) {
            return fail("ipi_halt: no answer from the guest within the deadline "
                + settings.deadline() + " (" + recorder.histogram().getTotalCount() + " of "
                + settings.roundTrips() + " round trips measured)");
          }
        }
      }
    } catch (ExecutionException e) {
      return fail("ipi_halt: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("ipi_halt: interrupted");
    }
  }

  private static VmCounterSnapshot fail(String message) throws IpiHaltFailure {
    throw new IpiHaltFailure(message);
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  private static void stopAll(List<VcpuThread> threads) throws KvmException {
    for (VcpuThread thread : threads) {
      thread.stop(STOP_TIMEOUT);
    }
  }

  /** Teardown after a failure already being reported: a second problem is only logged. */
  private static void stopQuietly(List<VcpuThread> threads) {
    try {
      stopAll(threads);
    } catch (KvmException e) {
      LOG.warn("ipi_halt teardown: {}", e.getMessage());
    }
  }
}
