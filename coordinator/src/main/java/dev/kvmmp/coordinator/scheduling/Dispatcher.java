package dev.kvmmp.coordinator.scheduling;

import dev.kvmmp.coordinator.probes.ConnectedProbe;
import dev.kvmmp.coordinator.probes.HostPreparation;
import dev.kvmmp.coordinator.workers.ConnectedWorker;
import dev.kvmmp.proto.v1.Exclusivity;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.HostKnobs;
import dev.kvmmp.proto.v1.Run;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which pending run goes where next: runs in schedule order, grouped by (experiment, workload,
 * fleet) so that a decision looks at the head of each group only, each group with the idle
 * targets that may run it; a target qualifies when it matches the fleet, what it would hold is
 * free (exclusivity) and its host is, or can be put, under the run's knobs. Not thread-safe: the
 * coordinator calls it under its lock.
 */
public final class Dispatcher {

  /** What a decision needs from the experiments: a run's fleet, exclusivity and targets. */
  public interface Runs {
    Fleet fleetOf(Run run);

    Exclusivity exclusivityOf(Run run);

    /** Probes for host workloads, workers for guest workloads, by id. */
    Map<String, ? extends RunTarget> targetsOf(Run run);
  }

  /** Makes the decision happen: takes the run off the queue and onto the target. */
  public interface Assign {
    /** @param lookingSince System.nanoTime() when the search for this run's place began */
    void assign(Run run, RunTarget target, long lookingSince);
  }

  private final PendingRuns pending = new PendingRuns();
  private final Map<String, LinkedHashSet<RunTarget>> idleByGroup = new HashMap<>();
  private final RunLocks locks = new RunLocks();
  private final Runs runs;
  private final HostPreparation hosts;

  public Dispatcher(Runs runs, HostPreparation hosts) {
    this.runs = runs;
    this.hosts = hosts;
  }

  /** @param experimentOrdinal the experiment's place among submissions: older ones first */
  public void enqueue(Run run, long experimentOrdinal) {
    pending.add(run, experimentOrdinal);
  }

  /** Takes a run off the queue (cancelled, or claimed by a worker); whether it was there. */
  public boolean dequeue(String runId) {
    return pending.remove(runId);
  }

  public boolean isPending(String runId) {
    return pending.contains(runId);
  }

  public int pendingCount() {
    return pending.size();
  }

  /**
   * Assigns pending runs in schedule order until no group's head can go anywhere.
   *
   * @param assign called for each decision; it must call {@link #started}
   */
  public void dispatch(Assign assign) {
    Set<String> blocked = new HashSet<>();
    while (true) {
      long looking = System.nanoTime();
      PendingRuns.Group best = null;
      for (PendingRuns.Group group : pending.groups()) {
        if (!blocked.contains(group.key())
            && (best == null || group.headPriority() < best.headPriority())) {
          best = group;
        }
      }
      if (best == null) {
        idleByGroup.keySet().removeIf(key -> pending.groups().stream()
            .noneMatch(g -> g.key().equals(key)));
        return;
      }
      Run run = best.head();
      Optional<RunTarget> target = usableTarget(best, run);
      if (target.isEmpty()) {
        blocked.add(best.key());
      } else {
        assign.assign(run, target.get(), looking);
      }
    }
  }

  /** The run is on the target now: off the queue, holding its places, the target busy. */
  public void started(Run run, RunTarget target) {
    pending.remove(run.getId());
    locks.acquire(run.getId(), claimOf(target, run));
    busy(target);
  }

  /** The run's places are free again. */
  public void released(String runId) {
    locks.release(runId);
  }

  /** Whether a run is on {@code hostId}. */
  public boolean isHostBusy(String hostId) {
    return locks.isTouched("host:" + hostId);
  }

  /** The target may take a run: it joins the idle sets of the groups it may run. */
  public void idle(RunTarget target) {
    for (PendingRuns.Group group : pending.groups()) {
      LinkedHashSet<RunTarget> idle = idleByGroup.get(group.key());
      if (idle != null && runs.targetsOf(group.template()).get(target.id()) == target
          && eligible(target, group.template())) {
        idle.add(target);
      }
    }
  }

  /** The target is busy or gone. */
  public void busy(RunTarget target) {
    idleByGroup.values().forEach(set -> set.remove(target));
  }

  /** Labels or hosts changed: who may run what is worked out again when next needed. */
  public void targetsChanged() {
    idleByGroup.clear();
  }

  /** The host a target's runs run on: a worker's when a probe sees its VM, a probe's own. */
  public static String hostOf(RunTarget target) {
    return target instanceof ConnectedWorker worker ? worker.hostId() : target.id();
  }

  private Optional<RunTarget> usableTarget(PendingRuns.Group group, Run run) {
    LinkedHashSet<RunTarget> idle = idleByGroup.computeIfAbsent(group.key(), key -> {
      LinkedHashSet<RunTarget> set = new LinkedHashSet<>();
      runs.targetsOf(run).values().stream()
          .filter(RunTarget::isIdle)
          .filter(t -> eligible(t, group.template()))
          .forEach(set::add);
      return set;
    });
    for (RunTarget target : idle) {
      if (locks.isFree(claimOf(target, run)) && knobsAllow(target, run)) {
        return Optional.of(target);
      }
    }
    return Optional.empty();
  }

  private boolean eligible(RunTarget target, Run run) {
    Fleet fleet = runs.fleetOf(run);
    if (!Eligibility.canRun(target, fleet, run.getWorkload())) {
      return false;
    }
    return !HostKnobChecks.hasKnobs(fleet) || !hostOf(target).isEmpty();
  }

  /** Whether the target's host runs under the run's knobs, or can be changed to them now. */
  private boolean knobsAllow(RunTarget target, Run run) {
    String host = hostOf(target);
    if (host.isEmpty()) {
      return run.getHostKnobs().equals(HostKnobs.getDefaultInstance());
    }
    return hosts.allows(host, run.getHostKnobs(), isHostBusy(host));
  }

  private RunLocks.Claim claimOf(RunTarget target, Run run) {
    Exclusivity exclusivity = runs.exclusivityOf(run);
    if (target instanceof ConnectedProbe probe) {
      return RunLocks.claim(exclusivity, "probe:" + probe.id(), probe.id(), probe.id());
    }
    ConnectedWorker worker = (ConnectedWorker) target;
    return RunLocks.claim(exclusivity, "worker:" + worker.id(), worker.vmIdentity(),
        worker.hostId());
  }
}
