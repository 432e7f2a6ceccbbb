package dev.kvmmp.worker.workload.memcache;

import dev.kvmmp.worker.placement.PinnedThread;
import dev.kvmmp.worker.placement.PlacementPlan;
import dev.kvmmp.worker.workload.ClosedLoop;
import dev.kvmmp.worker.workload.Outcome;
import dev.kvmmp.worker.workload.RunContext;
import dev.kvmmp.worker.workload.Workload;
import dev.kvmmp.worker.workload.WorkloadException;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Get/set round trips against a real memcached on loopback, started for the run (one worker
 * thread, on the server's vCPU when pinned) and stopped after it. Every key is stored before
 * the warm-up, so gets hit. The client is the calling thread, over one TCP_NODELAY connection.
 */
public final class MemcacheWorkload implements Workload {

  static final String MISSING_MEMCACHED =
      "memcache workload needs the memcached binary (apt-get install memcached)";
  private static final Path DEBIAN_MEMCACHED = Path.of("/usr/bin/memcached");
  private static final Path DEBIAN_TASKSET = Path.of("/usr/bin/taskset");
  /** Fixed, so that every repetition of a run sends the same sequence of keys and commands. */
  private static final long SCHEDULE_SEED = 20151019L;
  private static final Logger log = LoggerFactory.getLogger(MemcacheWorkload.class);

  private final Supplier<Optional<Path>> memcached;

  private record ClientSide(ClosedLoop.Measurement measurement, boolean stayedPinned,
      long misses) {}

  /** Runs the memcached found on PATH, or /usr/bin/memcached; looked up at each run. */
  public MemcacheWorkload() {
    this(() -> Executables.find("memcached", DEBIAN_MEMCACHED));
  }

  /** Runs the memcached at {@code memcached}. */
  public MemcacheWorkload(Path memcached) {
    this(() -> Optional.of(memcached).filter(Executables::isExecutableFile));
  }

  private MemcacheWorkload(Supplier<Optional<Path>> memcached) {
    this.memcached = memcached;
  }

  @Override
  public String kind() {
    return "memcache";
  }

  @Override
  public Outcome run(RunContext context) throws WorkloadException {
    Path binary = memcached.get().orElseThrow(() -> new WorkloadException(MISSING_MEMCACHED));
    MemcacheSettings settings = MemcacheSettings.of(context.run().getWorkload().getMemcache());
    PlacementPlan plan = context.placement();
    OptionalInt serverCpu = plan.serverCpu();
    Path taskset = serverCpu.isPresent() ? taskset(serverCpu.getAsInt()) : null;
    try (MemcachedProcess server = MemcachedProcess.start(binary, taskset, serverCpu, settings)) {
      // The pid alone would count only memcached's main thread; its worker thread serves us.
      server.tasks().forEach(context.tasks()::involve);
      ClientSide client;
      try {
        client = measure(context, server, settings);
      } catch (IOException e) {
        // A lost connection is rare (a "Connection reset" about once in 150 runs here, not
        // explained yet): say how memcached was then, to tell its side from the client's.
        throw new IOException(e.getMessage() + "; " + server.state(), e);
      }
      boolean serverConfined = serverCpu.isEmpty() || server.confinedTo(serverCpu.getAsInt());
      if (client.misses() > 0) {
        log.warn("run {}: {} gets missed although every key was stored (memcached evicted "
            + "keys?)", context.run().getId(), client.misses());
      }
      return new Outcome(client.measurement(), plan.check(client.stayedPinned(), serverConfined));
    } catch (IOException e) {
      throw new WorkloadException("memcache against a memcached on loopback failed: " + e, e);
    } catch (IllegalStateException e) {
      throw new WorkloadException("memcache: " + e.getMessage(), e);
    }
  }

  private ClientSide measure(RunContext context, MemcachedProcess server,
      MemcacheSettings settings) throws IOException, WorkloadException {
    try (PinnedThread pinned = context.placement().pinClient();
        SocketChannel channel = SocketChannel.open(server.address())) {
      context.tasks().involve(pinned.tid());
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      MemcachePreload.run(channel, settings, context.control());
      MemcacheClient client = new MemcacheClient(channel, settings,
          OpSchedule.of(settings.keys(), settings.getPercent(), SCHEDULE_SEED));
      ClosedLoop.Measurement measurement = ClosedLoop.run(client, context.window(),
          context.control(), context.observer());
      return new ClientSide(measurement, pinned.stillPinned(), client.misses());
    }
  }

  private static Path taskset(int cpu) throws WorkloadException {
    return Executables.find("taskset", DEBIAN_TASKSET).orElseThrow(() -> new WorkloadException(
        "memcache workload needs taskset to pin memcached to vCPU " + cpu
            + " (apt-get install util-linux)"));
  }
}
