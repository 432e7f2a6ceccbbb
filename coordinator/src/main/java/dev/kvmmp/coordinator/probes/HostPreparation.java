package dev.kvmmp.coordinator.probes;

import dev.kvmmp.coordinator.HostRequests;
import dev.kvmmp.coordinator.scheduling.HostKnobStates;
import dev.kvmmp.proto.v1.HostKnobs;
import dev.kvmmp.proto.v1.KnobsApplied;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.SampleKind;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the coordinator has a run's host do around the run, through the host's probe: put the
 * host under the fleet's knobs (restoring others' first) and take the idle baseline before it,
 * snapshot the window's edges, and put knobs back once an experiment is done. Answers arrive on
 * other threads; the knob state changes under {@code lock}, the coordinator's.
 */
public final class HostPreparation {

  private static final Logger log = LoggerFactory.getLogger(HostPreparation.class);

  private final Object lock;
  private final HostKnobStates knobs = new HostKnobStates();
  private HostRequests requests = HostRequests.NONE;
  private Duration idleBaseline;

  public HostPreparation(Object lock, Duration idleBaseline) {
    this.lock = lock;
    this.idleBaseline = idleBaseline;
  }

  /** Where requests go (the probe streams), and how long the idle baseline lasts. */
  public void use(HostRequests newRequests, Duration newIdleBaseline) {
    this.requests = newRequests;
    this.idleBaseline = newIdleBaseline;
  }

  /**
   * Whether a run wanting {@code wanted} may start on {@code host} now: the host is under those
   * knobs already, or nothing runs there and no change is under way, so they can be set.
   */
  public boolean allows(String host, HostKnobs wanted, boolean hostBusy) {
    if (knobs.isChanging(host)) {
      return false;
    }
    return knobs.applied(host).equals(wanted) || !hostBusy;
  }

  /**
   * Puts the run's host under its fleet's knobs, then, for a bracketed run, takes the idle
   * baseline: two snapshots of the VM with nothing running in it, the idle window apart.
   */
  public CompletableFuture<Void> prepare(Run run) {
    String host = run.getHostId();
    if (host.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> knobsSet = setKnobs(host, run);
    if (!run.getBracketed()) {
      return knobsSet;
    }
    return knobsSet
        .thenCompose(ok -> snapshot(run, SampleKind.SAMPLE_KIND_IDLE_BASELINE))
        .thenCompose(ok -> idleBaseline.isZero() ? CompletableFuture.<Void>completedFuture(null)
            : CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(
                idleBaseline.toMillis(), TimeUnit.MILLISECONDS)))
        .thenCompose(ok -> snapshot(run, SampleKind.SAMPLE_KIND_IDLE_BASELINE_END));
  }

  /** A window edge's snapshot; completes with why it was not taken, empty when it was. */
  public CompletableFuture<String> windowSnapshot(Run run, SampleKind kind) {
    return requests.takeSnapshot(run.getHostId(), run.getVmIdentity(), run.getId(), kind)
        .handle((taken, e) -> e != null ? reason(e) : taken.getError());
  }

  /**
   * Has the probes put back the knobs an experiment left, on hosts where nothing runs any more.
   *
   * @param afterEach called under the lock once a host is back on its originals
   */
  public void restoreKnobsOf(String experimentId, Predicate<String> hostBusy,
      Runnable afterEach) {
    for (String host : knobs.hostsOf(experimentId)) {
      if (hostBusy.test(host) || knobs.isChanging(host)) {
        continue;
      }
      knobs.changing(host);
      requests.restoreKnobs(host).whenComplete((answer, e) -> {
        synchronized (lock) {
          if (e != null || !answer.getError().isEmpty()) {
            log.warn("host {}: knobs of experiment {} not restored: {}", host, experimentId,
                e != null ? reason(e) : answer.getError());
          } else {
            log.info("host {}: knobs of experiment {} restored", host, experimentId);
          }
          knobs.settled(host, HostKnobs.getDefaultInstance(), experimentId);
          afterEach.run();
        }
      });
    }
  }

  /** The host's probe went away; it puts its knobs back by itself when its session ends. */
  public void forget(String host) {
    knobs.forget(host);
  }

  /** A failure's message for a user: the cause's, without the future's wrapping. */
  public static String reason(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    String message = cause.getMessage();
    return message == null ? cause.toString() : message;
  }

  /** A missing baseline snapshot is the report's to name; the run goes on without it. */
  private CompletableFuture<Void> snapshot(Run run, SampleKind kind) {
    return requests.takeSnapshot(run.getHostId(), run.getVmIdentity(), run.getId(), kind)
        .handle((taken, e) -> {
          if (e != null || !taken.getError().isEmpty()) {
            log.info("run {}: {} snapshot not taken: {}", run.getId(), kind,
                e != null ? reason(e) : taken.getError());
          }
          return null;
        });
  }

  private CompletableFuture<Void> setKnobs(String host, Run run) {
    HostKnobs current = knobs.applied(host);
    HostKnobs wanted = run.getHostKnobs();
    if (current.equals(wanted)) {
      knobs.usedBy(host, run.getExperimentId());
      return CompletableFuture.completedFuture(null);
    }
    knobs.changing(host);
    CompletableFuture<KnobsApplied> restored = current.equals(HostKnobs.getDefaultInstance())
        ? CompletableFuture.completedFuture(KnobsApplied.getDefaultInstance())
        : requests.restoreKnobs(host);
    return restored
        .thenCompose(answer -> {
          checkAnswer(answer, "restoring the host's knobs");
          return wanted.equals(HostKnobs.getDefaultInstance())
              ? CompletableFuture.completedFuture(KnobsApplied.getDefaultInstance())
              : requests.applyKnobs(host, wanted);
        })
        .thenAccept(answer -> checkAnswer(answer, "setting the fleet's host knobs"))
        .whenComplete((ok, e) -> {
          synchronized (lock) {
            // A refused apply leaves the originals (the probe's promise); so does a restore.
            knobs.settled(host, e == null ? wanted : HostKnobs.getDefaultInstance(),
                run.getExperimentId());
          }
        });
  }

  private static void checkAnswer(KnobsApplied answer, String what) {
    if (!answer.getError().isEmpty()) {
      throw new CompletionException(new IllegalStateException(what + ": " + answer.getError()));
    }
  }
}
