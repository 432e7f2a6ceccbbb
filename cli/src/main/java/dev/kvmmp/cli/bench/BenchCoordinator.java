package dev.kvmmp.cli.bench;

import dev.kvmmp.cli.bench.JstatGc.HeapSample;
import dev.kvmmp.coordinator.CoordinatorMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
  // jstat formats numbers in the JVM's locale; English keeps the decimal point a point.
  private static final String ENGLISH = "-J-Duser.language=en";

  private final ChildProcesses children;
  private final ChildProcesses.Child process;
  private final Path jdkBin;
  private final int port;
  private ChildProcesses.Child heapSampler;

  private BenchCoordinator(ChildProcesses children, ChildProcesses.Child process, Path jdkBin,
      int port) {
    this.children = children;
    this.process = process;
    this.jdkBin = jdkBin;
    this.port = port;
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
    List<String> command = new ArrayList<>(List.of(bin.resolve("java").toString(),
        "-Xmx" + maxHeap, "-cp", System.getProperty("java.class.path"),
        CoordinatorMain.class.getName(), "--bind", "127.0.0.1", "--port", "0",
        "--metrics-port", "0"));
    command.addAll(options);
    ChildProcesses.Child process = children.start("coordinator", command);
    try {
      return new BenchCoordinator(children, process, bin, awaitPort(process));
    } catch (TrialException | RuntimeException e) {
      process.close();
      throw e;
    }
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
      Matcher metrics = METRICS.matcher(output(process));
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
    return process.pid();
  }

  /** Why the coordinator is gone, or empty while it runs. */
  Optional<String> exited() {
    return process.isAlive() ? Optional.empty() : Optional.of(process.exitDescription());
  }

  /** utime+stime of every thread of the coordinator's JVM so far. */
  long cpuNanos() throws TrialException {
    Path stat = Path.of("/proc", Long.toString(pid()), "stat");
    try {
      return ProcessCpu.nanos(stat);
    } catch (IOException e) {
      throw new TrialException("cannot read the coordinator's CPU time: " + e.getMessage(), e);
    }
  }

  /** Peak resident set size (VmHWM in /proc/PID/status), in bytes. */
  long peakRssBytes() throws TrialException {
    Path status = Path.of("/proc", Long.toString(pid()), "status");
    try {
      return Files.readAllLines(status).stream()
          .filter(l -> l.startsWith("VmHWM:"))
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
          .findFirst()
          .orElseThrow(() -> new IOException("no VmHWM line"));
    } catch (IOException | NumberFormatException e) {
      throw new TrialException("cannot read the coordinator's peak RSS from " + status + ": "
          + e.getMessage(), e);
    }
  }

  /** Starts sampling the heap once a second (jstat -gc PID 1000) until {@link #sampledHeap}. */
  void startHeapSampler() throws TrialException {
    heapSampler = children.start("jstat heap sampler", List.of(jdkBin.resolve("jstat").toString(),
        ENGLISH, "-gc", Long.toString(pid()), "1000"));
  }

  /** The samples taken since {@link #startHeapSampler}; stops the sampler. */
  List<HeapSample> sampledHeap() throws TrialException {
    try (ChildProcesses.Child sampler = heapSampler) {
      return JstatGc.parse(output(sampler));
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
    process.close();
  }

  private static int awaitPort(ChildProcesses.Child process) throws TrialException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      Matcher listening = LISTENING.matcher(output(process));
      if (listening.find()) {
        return Integer.parseInt(listening.group(1));
      }
      if (!process.isAlive()) {
        throw new TrialException(process.exitDescription());
      }
      if (System.nanoTime() > deadline) {
        throw new TrialException("the coordinator did not print 'kvmmp coordinator listening on"
            + " ...' within " + START_TIMEOUT.toSeconds() + " s: "
            + OutputText.tail(output(process), 3));
      }
      sleep(50);
    }
  }

  /**
   * What a child has printed so far. {@link ChildProcesses} sends its output to a file it keeps
   * to itself; the child's stdout descriptor in /proc opens that same file.
   */
  private static String output(ChildProcesses.Child child) throws TrialException {
    Path stdout = Path.of("/proc", Long.toString(child.pid()), "fd", "1");
    try {
      return Files.readString(stdout, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      if (!child.isAlive()) {
        throw new TrialException(child.exitDescription(), e);
      }
      throw new TrialException("cannot read the output of process " + child.pid() + " from "
          + stdout + ": " + e.getMessage(), e);
    }
  }

  private static void sleep(long millis) throws TrialException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrialException("interrupted while waiting for the coordinator to listen", e);
    }
  }
}
