package dev.kvmmp.cli.bench;

import dev.kvmmp.cli.bench.JstatGc.HeapSample;
import dev.kvmmp.coordinator.CoordinatorMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The coordinator under measurement: {@link CoordinatorMain} in a JVM of its own, started from
 * this JVM's class path, so that its heap and CPU time are the coordinator's alone. Its heap is
 * read from outside with the JDK's own tools (jcmd, jstat), as an operator would.
 */
final class BenchCoordinator implements AutoCloseable {

  private static final Pattern LISTENING =
      Pattern.compile("kvmmp coordinator listening on \\S+:(\\d+)");
  private static final Pattern METRICS =
      Pattern.compile("kvmmp coordinator metrics on (http://\\S+/metrics)");
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
  // jstat formats numbers in the JVM's locale; English keeps the decimal point a point.
  private static final String ENGLISH = "-J-Duser.language=en";

  private final ChildProcesses children;
  private final BenchJvm jvm;
  private final Path jdkBin;
  private final int port;
  private ChildProcesses.Child heapSampler;

  private BenchCoordinator(ChildProcesses children, BenchJvm jvm, Path jdkBin) {
    this.children = children;
    this.jvm = jvm;
    this.jdkBin = jdkBin;
    this.port = Integer.parseInt(jvm.readyGroup(1));
  }

  /**
   * The JDK's bin directory, beside this JVM's java, with the jcmd and jstat the heap figures
   * come from.
   *
   * @throws TrialException when this JVM is a JRE without them
   */
  static Path jdkBin() throws TrialException {
    Path java = Path.of(ProcessHandle.current().info().command().orElse("/usr/bin/java"));
    Path bin = java.toAbsolutePath().getParent();
    for (String tool : List.of("jcmd", "jstat")) {
      if (!Files.isExecutable(bin.resolve(tool))) {
        throw new TrialException("no executable " + bin.resolve(tool) + " beside " + java
            + ": the heap figures need a JDK, not a JRE");
      }
    }
    return bin;
  }

  /** Starts the coordinator on a free loopback port and waits until it listens. */
  static BenchCoordinator start(ChildProcesses children, String maxHeap, List<String> options)
      throws TrialException {
    Path bin = jdkBin();
    List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", "0",
        "--metrics-port", "0"));
    args.addAll(options);
    return new BenchCoordinator(children, BenchJvm.start(children, "coordinator", maxHeap,
        CoordinatorMain.class, args, LISTENING), bin);
  }

  int port() {
    return port;
  }

  /**
   * Timers of the coordinator's, scraped from its /metrics, in the order of {@code names}.
   *
   * @throws TrialException when the endpoint cannot be read
   */
  List<CoordinatorDecisions> timers(String... names) throws TrialException {
    try {
      Matcher metrics = METRICS.matcher(jvm.output());
      if (!metrics.find()) {
        return java.util.Arrays.stream(names).map(n -> CoordinatorDecisions.NONE).toList();
      }
      java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
          .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(metrics.group(1)))
              .timeout(TOOL_TIMEOUT).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      return java.util.Arrays.stream(names)
          .map(name -> CoordinatorDecisions.parse(response.body(), name)).toList();
    } catch (IOException e) {
      throw new TrialException("cannot scrape the coordinator's metrics: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrialException("interrupted while scraping the coordinator's metrics", e);
    }
  }

  long pid() {
    return jvm.pid();
  }

  /** Why the coordinator is gone, or empty while it runs. */
  Optional<String> exited() {
    return jvm.exited();
  }

  /** utime+stime of every thread of the coordinator's JVM so far. */
  long cpuNanos() throws TrialException {
    return jvm.cpuNanos();
  }

  /** Peak resident set size (VmHWM in /proc/PID/status), in bytes. */
  long peakRssBytes() throws TrialException {
    return jvm.peakRssBytes();
  }

  /** Starts sampling the heap once a second (jstat -gc PID 1000) until {@link #sampledHeap}. */
  void startHeapSampler() throws TrialException {
    heapSampler = children.start("jstat heap sampler", List.of(jdkBin.resolve("jstat").toString(),
        ENGLISH, "-gc", Long.toString(pid()), "1000"));
  }

  /** The samples taken since {@link #startHeapSampler}; stops the sampler. */
  List<HeapSample> sampledHeap() throws TrialException {
    try (ChildProcesses.Child sampler = heapSampler) {
      return JstatGc.parse(BenchJvm.outputOf(sampler));
    } catch (IllegalArgumentException e) {
      throw new TrialException("jstat heap sampler: " + e.getMessage(), e);
    }
  }

  /** A full collection (jcmd GC.run: System.gc()), then the heap as jstat -gc sees it. */
  HeapSample heapAfterFullGc() throws TrialException {
    String pid = Long.toString(pid());
    children.run("jcmd GC.run", List.of(jdkBin.resolve("jcmd").toString(), pid, "GC.run"),
        TOOL_TIMEOUT);
    String output = children.run("jstat -gc", List.of(jdkBin.resolve("jstat").toString(),
        ENGLISH, "-gc", pid), TOOL_TIMEOUT);
    try {
      List<HeapSample> samples = JstatGc.parse(output);
      if (samples.isEmpty()) {
        throw new TrialException("jstat -gc " + pid + " printed no sample: "
            + OutputText.tail(output, 3));
      }
      return samples.get(samples.size() - 1);
    } catch (IllegalArgumentException e) {
      throw new TrialException("jstat -gc " + pid + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (heapSampler != null) {
      heapSampler.close();
    }
    jvm.close();
  }
}
