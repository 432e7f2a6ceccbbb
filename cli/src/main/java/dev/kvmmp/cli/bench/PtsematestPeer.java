package dev.kvmmp.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * rt-tests' {@code ptsematest}: one thread unlocks a pthread mutex another is blocked on. The
 * peer of kvmmp's condvar PARK. It times one way, so its average is doubled into a round trip
 * to stand beside kvmmp's mean; the table's note says so.
 */
public final class PtsematestPeer implements NativePeer {

  private final Executables executables;
  private final ChildProcesses children;

  public PtsematestPeer(Executables executables, ChildProcesses children) {
    this.executables = executables;
    this.children = children;
  }

  @Override
  public String name() {
    return "ptsematest";
  }

  @Override
  public Optional<String> unavailableReason() {
    return executables.missing("ptsematest", "rt-tests", "taskset", "util-linux");
  }

  @Override
  public String placementLabel(BenchPlacement placement) {
    return WorkerThreadPinning.label(placement);
  }

  @Override
  public Figures run(BenchPlacement placement, Duration duration) throws TrialException {
    Path json = tempJson();
    try {
      long seconds = Math.max(1, duration.toSeconds());
      List<String> command = new ArrayList<>(List.of("taskset", "-c", placement.cpuList(),
          "ptsematest"));
      if (placement == BenchPlacement.SAME_CPU) {
        command.add("--affinity=" + placement.clientCpu());
      }
      // -i 0: no sleep between samples, so the pair runs back to back like kvmmp's ping-pong.
      command.addAll(List.of("-q", "-i", "0", "-D", Long.toString(seconds),
          "--json=" + json));
      // Its -a puts both threads of a pair on one CPU; apart, they are pinned after start.
      children.run("ptsematest", command, Duration.ofSeconds(seconds * 2 + 30),
          placement == BenchPlacement.SAME_CPU
              ? child -> { } : WorkerThreadPinning.apart("ptsematest", placement));
      PtsematestOutput output = PtsematestOutput.parse(json);
      return Figures.meanOnly(2 * output.avgUs());
    } finally {
      try {
        Files.deleteIfExists(json);
      } catch (IOException e) {
        // A leftover temporary file is harmless.
      }
    }
  }

  private static Path tempJson() throws TrialException {
    try {
      return Files.createTempFile("kvmmp-ptsematest-", ".json");
    } catch (IOException e) {
      throw new TrialException("cannot create a temporary file for ptsematest's result: "
          + e.getMessage(), e);
    }
  }
}
