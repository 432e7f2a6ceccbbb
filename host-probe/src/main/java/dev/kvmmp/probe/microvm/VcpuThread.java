package dev.kvmmp.probe.microvm;

import com.sun.jna.LastErrorException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The host thread of one vCPU, pinned to one host CPU: it calls KVM_RUN until its exit handler
 * says stop or {@link #stop} pulls it out. A halted vCPU sits inside KVM_RUN indefinitely, so
 * stopping sets {@code kvm_run.immediate_exit} (for a thread about to enter) and sends the
 * thread SIGPIPE (for one inside): HotSpot installs a handler for SIGPIPE that ignores it, and a
 * signal with a handler makes KVM_RUN return EINTR; an ignored-by-default signal would be dropped
 * before it reached the thread.
 */
final class VcpuThread {

  /** What to do on an exit to user space; returns whether to enter KVM_RUN again. */
  interface ExitHandler {
    boolean onExit(Vcpu vcpu, int exitReason) throws KvmException;
  }

  private static final int SIGPIPE = 13;
  private static final long KICK_INTERVAL_MS = 5;

  private final Vcpu vcpu;
  private final Thread thread;
  private final CompletableFuture<Integer> tid = new CompletableFuture<>();
  private volatile boolean stopping;

  private VcpuThread(Vcpu vcpu, int cpu, ExitHandler handler, CountDownLatch go,
      Consumer<Throwable> onFailure) {
    this.vcpu = vcpu;
    this.thread = new Thread(() -> loop(cpu, handler, go, onFailure),
        "kvmmp-vcpu-" + vcpu.id());
    thread.setDaemon(true);
  }

  /**
   * Starts the thread; it pins itself to {@code cpu}, then waits for {@code go} before the first
   * KVM_RUN. A failure (an ioctl error, an exit the handler refuses) goes to {@code onFailure}.
   */
  static VcpuThread start(Vcpu vcpu, int cpu, ExitHandler handler, CountDownLatch go,
      Consumer<Throwable> onFailure) {
    VcpuThread started = new VcpuThread(vcpu, cpu, handler, go, onFailure);
    started.thread.start();
    return started;
  }

  private void loop(int cpu, ExitHandler handler, CountDownLatch go,
      Consumer<Throwable> onFailure) {
    try {
      CpuAffinity.pinCurrentThread(cpu);
      tid.complete(Libc.gettid());
      while (!go.await(KICK_INTERVAL_MS, TimeUnit.MILLISECONDS)) {
        if (stopping) {
          return;
        }
      }
      while (!stopping) {
        int reason = vcpu.run();
        if (reason != Vcpu.EXIT_INTR && !handler.onExit(vcpu, reason)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (KvmException | RuntimeException e) {
      tid.completeExceptionally(e);
      onFailure.accept(e);
    }
  }

  /** The thread's kernel id once it is pinned (for per-thread perf counters). */
  int tid(Duration timeout) throws KvmException {
    try {
      return tid.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new KvmException("vCPU " + vcpu.id() + " thread: not started within " + timeout);
    } catch (ExecutionException e) {
      throw new KvmException("vCPU " + vcpu.id() + " thread: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KvmException("vCPU " + vcpu.id() + " thread: interrupted while starting");
    }
  }

  /**
   * Pulls the thread out of KVM_RUN and waits for it to end.
   *
   * @throws KvmException if it is still alive after {@code timeout}
   */
  void stop(Duration timeout) throws KvmException {
    stopping = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (thread.isAlive()) {
        vcpu.requestImmediateExit();
        kick();
        thread.join(KICK_INTERVAL_MS);
        if (System.nanoTime() - deadline > 0 && thread.isAlive()) {
          throw new KvmException("vCPU " + vcpu.id() + " thread " + thread.getName()
              + ": still in KVM_RUN " + timeout + " after immediate_exit and SIGPIPE");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KvmException("vCPU " + vcpu.id() + " thread: interrupted while stopping it");
    }
  }

  private void kick() throws KvmException {
    Integer target = tid.getNow(null);
    if (target == null) {
      return;
    }
    try {
      Libc.tgkill(Libc.getpid(), target, SIGPIPE);
    } catch (LastErrorException e) {
      if (e.getErrorCode() != 3) { // ESRCH: it has just ended
        throw KvmException.of("tgkill(" + target + ", SIGPIPE)", e);
      }
    }
  }
}
