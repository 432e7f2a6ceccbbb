package dev.kvmmp.worker.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.AssignRun;
import dev.kvmmp.proto.v1.CancelRun;
import dev.kvmmp.proto.v1.Condvar;
import dev.kvmmp.proto.v1.CoordinatorToWorker;
import dev.kvmmp.proto.v1.GuestFacts;
import dev.kvmmp.proto.v1.GuestProfile;
import dev.kvmmp.proto.v1.Register;
import dev.kvmmp.proto.v1.ResultAccepted;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunCompleted;
import dev.kvmmp.proto.v1.RunProgress;
import dev.kvmmp.proto.v1.WindowEdge;
import dev.kvmmp.proto.v1.WindowEdge.Edge;
import dev.kvmmp.proto.v1.WindowGo;
import dev.kvmmp.proto.v1.WorkerMessage.MessageCase;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.worker.knobs.FakeSysfs;
import dev.kvmmp.worker.knobs.GuestKnobs;
import dev.kvmmp.worker.session.FakeCoordinator.WorkerStream;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker against a fake coordinator over the in-process transport: runs that outlive broken
 * streams, results kept until accepted, cancels, and the bracketing of a run's window. The
 * workload is the real closed loop over a round trip that costs nothing unless held.
 */
class GuestWorkerTest {

  private static final String RUN_ID = "e-1-r0001";
  private static final long TRANSACTIONS = 5_000;

  @TempDir
  Path sysfsRoot;
  @TempDir
  Path stateDir;

  private final String serverName = InProcessServerBuilder.generateName();
  private final FakeCoordinator coordinator = new FakeCoordinator();
  private final HeldWorkload workload = new HeldWorkload();
  private Server server;
  private ManagedChannel channel;
  private GuestWorker worker;
  private FakeSysfs sysfs;
  private Thread serving;

  @BeforeEach
  void startCoordinator() throws Exception {
    sysfs = FakeSysfs.firecrackerGuest(sysfsRoot);
    server = InProcessServerBuilder.forName(serverName).addService(coordinator).build().start();
    channel = InProcessChannelBuilder.forName(serverName).build();
  }

  @AfterEach
  void stop() throws Exception {
    workload.release();
    if (worker != null) {
      worker.close();
      serving.join(TimeUnit.SECONDS.toMillis(15));
    }
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private void startWorker(Duration bracketWait) {
    GuestKnobs knobs = new GuestKnobs(sysfsRoot, GuestKnobs.journalIn(stateDir));
    worker = new GuestWorker(channel, "w-1", GuestFacts::getDefaultInstance, Set.of("condvar"),
        timer -> new RunExecutor(Map.of("condvar", workload), GuestFacts::getDefaultInstance,
            timer, Path.of("/proc"), knobs, Duration.ofSeconds(5), false),
        bracketWait);
    serving = new Thread(() -> {
      try {
        worker.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "worker-under-test");
    serving.start();
  }

  private static Run run(String id, int attempt, boolean bracketed) {
    return Run.newBuilder()
        .setId(id)
        .setAttempt(attempt)
        .setWorkload(Workload.newBuilder().setCondvar(Condvar.getDefaultInstance()))
        .setWarmup(Durations.fromMillis(20))
        .setTransactions(TRANSACTIONS)
        .setBracketed(bracketed)
        .build();
  }

  private static CoordinatorToWorker assign(Run run) {
    return CoordinatorToWorker.newBuilder().setAssign(AssignRun.newBuilder().setRun(run)).build();
  }

  private static CoordinatorToWorker go(Run run, Edge edge, String snapshotError) {
    return CoordinatorToWorker.newBuilder().setWindowGo(WindowGo.newBuilder()
        .setRunId(run.getId()).setAttempt(run.getAttempt()).setEdge(edge)
        .setSnapshotError(snapshotError)).build();
  }

  private static CoordinatorToWorker cancel(String runId) {
    return CoordinatorToWorker.newBuilder().setCancel(CancelRun.newBuilder()
        .setRunId(runId).setReason("attempt 2 was re-queued")).build();
  }

  /** The worker's next stream, once it has registered on it. */
  private WorkerStream registered() throws InterruptedException {
    WorkerStream stream = coordinator.nextStream();
    stream.register();
    return stream;
  }

  /** Waits until the run in hand reports its measured window open. */
  private static RunProgress measuring(WorkerStream stream) throws InterruptedException {
    long deadline = System.nanoTime() + FakeCoordinator.TIMEOUT.toNanos();
    RunProgress progress = stream.next(MessageCase.PROGRESS).getProgress();
    while (!progress.getPhase().equals("measure") && System.nanoTime() < deadline) {
      progress = stream.next(MessageCase.PROGRESS).getProgress();
    }
    assertThat(progress.getPhase()).as("phase of the run in hand").isEqualTo("measure");
    return progress;
  }

  @Test
  void aRunOutlivesABrokenStreamAndItsResultIsSentAgainUntilAccepted() throws Exception {
    startWorker(Duration.ofSeconds(5));
    WorkerStream first = coordinator.nextStream();
    assertThat(first.register().getCurrentRunId()).isEmpty();
    workload.hold();
    Run run = run(RUN_ID, 2, false);
    first.send(assign(run));
    assertThat(measuring(first).getAttempt()).isEqualTo(2);

    first.breakIt();
    WorkerStream second = coordinator.nextStream();
    Register again = second.register();
    assertThat(again.getCurrentRunId()).isEqualTo(RUN_ID);
    assertThat(again.getCurrentRunAttempt()).isEqualTo(2);
    workload.release();
    RunCompleted completed = second.next(MessageCase.COMPLETED).getCompleted();
    assertThat(completed.getRunId()).isEqualTo(RUN_ID);
    assertThat(completed.getAttempt()).isEqualTo(2);
    assertThat(completed.getResult().getTransactions()).isEqualTo(TRANSACTIONS);

    second.breakIt();
    WorkerStream third = coordinator.nextStream();
    Register holdingResult = third.register();
    assertThat(holdingResult.getCurrentRunId()).as("result not yet accepted").isEqualTo(RUN_ID);
    assertThat(holdingResult.getCurrentRunAttempt()).isEqualTo(2);
    assertThat(third.next(MessageCase.COMPLETED).getCompleted()).isEqualTo(completed);
    third.send(CoordinatorToWorker.newBuilder().setResultAccepted(ResultAccepted.newBuilder()
        .setRunId(RUN_ID).setAttempt(2)).build());

    third.breakIt();
    WorkerStream fourth = coordinator.nextStream();
    assertThat(fourth.register().getCurrentRunId()).as("result accepted").isEmpty();
    assertThat(fourth.others(Duration.ofMillis(500))).isEmpty();
  }

  @Test
  void closingMidRunReturnsOnlyOnceTheRunHasPutItsKnobBack() throws Exception {
    startWorker(Duration.ofSeconds(5));
    WorkerStream first = registered();
    workload.hold();
    first.send(assign(run(RUN_ID, 1, false).toBuilder()
        .setGuestProfile(GuestProfile.newBuilder().setGuestHaltPollNs(200_000)).build()));
    measuring(first);
    assertThat(sysfs.get(FakeSysfs.NS)).as("set for the run")
        .isEqualTo("200000");

    // What SIGTERM's shutdown hook does; the JVM halts right after it.
    worker.close();

    assertThat(sysfs.get(FakeSysfs.NS)).as("put back").isEqualTo("0");
  }

  @Test
  void anAcceptanceOfAnotherAttemptKeepsTheResult() throws Exception {
    startWorker(Duration.ofSeconds(5));
    WorkerStream first = registered();
    first.send(assign(run(RUN_ID, 2, false)));
    RunCompleted completed = first.next(MessageCase.COMPLETED).getCompleted();
    first.send(CoordinatorToWorker.newBuilder().setResultAccepted(ResultAccepted.newBuilder()
        .setRunId(RUN_ID).setAttempt(1).setDiscarded("attempt 1 was re-queued")).build());

    first.breakIt();
    WorkerStream second = coordinator.nextStream();
    assertThat(second.register().getCurrentRunId()).isEqualTo(RUN_ID);
    assertThat(second.next(MessageCase.COMPLETED).getCompleted()).isEqualTo(completed);
  }

  @Test
  void aCancelAfterReRegisteringStopsTheRunAndForgetsIt() throws Exception {
    startWorker(Duration.ofSeconds(5));
    WorkerStream first = registered();
    workload.hold();
    first.send(assign(run(RUN_ID, 2, false)));
    measuring(first);

    first.breakIt();
    WorkerStream second = coordinator.nextStream();
    assertThat(second.register().getCurrentRunId()).isEqualTo(RUN_ID);
    second.send(cancel(RUN_ID));
    assertThat(second.next(MessageCase.FAILED).getFailed().getReason()).contains("cancelled");

    second.breakIt();
    WorkerStream third = coordinator.nextStream();
    assertThat(third.register().getCurrentRunId()).as("nothing kept").isEmpty();
    assertThat(third.others(Duration.ofMillis(300))).isEmpty();
    workload.release();
    third.send(assign(run("e-1-r0002", 1, false)));
    assertThat(third.next(MessageCase.COMPLETED).getCompleted().getRunId())
        .as("free for the next run").isEqualTo("e-1-r0002");
  }

  @Test
  void aBracketedRunMeasuresOnlyBetweenItsAnnouncedEdges() throws Exception {
    startWorker(Duration.ofSeconds(5));
    WorkerStream stream = registered();
    Run run = run(RUN_ID, 3, true);
    stream.send(assign(run));

    WindowEdge opening = stream.next(MessageCase.WINDOW_EDGE).getWindowEdge();
    assertThat(opening).isEqualTo(WindowEdge.newBuilder().setRunId(RUN_ID).setAttempt(3)
        .setEdge(Edge.EDGE_OPENING).build());
    long warmedUp = workload.roundTrips();
    Thread.sleep(300);
    assertThat(workload.roundTrips()).as("nothing measured before WindowGo").isEqualTo(warmedUp);
    stream.send(go(run, Edge.EDGE_OPENING, ""));

    assertThat(stream.next(MessageCase.WINDOW_EDGE).getWindowEdge().getEdge())
        .isEqualTo(Edge.EDGE_CLOSED);
    assertThat(workload.roundTrips() - warmedUp).isEqualTo(TRANSACTIONS);
    assertThat(stream.others(Duration.ofMillis(300))).as("no result before WindowGo").isEmpty();
    stream.send(go(run, Edge.EDGE_CLOSED, ""));

    RunCompleted completed = stream.next(MessageCase.COMPLETED).getCompleted();
    assertThat(completed.getResult().getTransactions()).isEqualTo(TRANSACTIONS);
    assertThat(completed.getResult().getNotesList()).isEmpty();
  }

  @Test
  void unansweredEdgesTimeOutAndTheResultSaysWhichWereNotBracketed() throws Exception {
    startWorker(Duration.ofMillis(300));
    WorkerStream stream = registered();
    stream.send(assign(run(RUN_ID, 1, true)));

    assertThat(stream.next(MessageCase.WINDOW_EDGE).getWindowEdge().getEdge())
        .isEqualTo(Edge.EDGE_OPENING);
    assertThat(stream.next(MessageCase.WINDOW_EDGE).getWindowEdge().getEdge())
        .isEqualTo(Edge.EDGE_CLOSED);
    RunCompleted completed = stream.next(MessageCase.COMPLETED).getCompleted();
    assertThat(completed.getResult().getTransactions()).isEqualTo(TRANSACTIONS);
    assertThat(completed.getResult().getNotesList()).containsExactly(
        "the window's opening was not bracketed by a host snapshot: no WindowGo from the "
            + "coordinator within 300 ms",
        "the window's close was not bracketed by a host snapshot: no WindowGo from the "
            + "coordinator within 300 ms");
  }

  @Test
  void aCancelWhileWaitingForWindowGoEndsTheWaitAtOnce() throws Exception {
    startWorker(Duration.ofSeconds(30));
    WorkerStream stream = registered();
    stream.send(assign(run(RUN_ID, 1, true)));
    stream.next(MessageCase.WINDOW_EDGE);

    long cancelled = System.nanoTime();
    stream.send(cancel(RUN_ID));
    assertThat(stream.next(MessageCase.FAILED).getFailed().getReason()).contains("cancelled");
    assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void anEdgeAwaitedWhenTheStreamBreaksIsAnnouncedAgainOnTheNextStream() throws Exception {
    startWorker(Duration.ofSeconds(8));
    WorkerStream first = registered();
    Run run = run(RUN_ID, 1, true);
    first.send(assign(run));
    first.next(MessageCase.WINDOW_EDGE);

    first.breakIt();
    WorkerStream second = coordinator.nextStream();
    assertThat(second.register().getCurrentRunId()).isEqualTo(RUN_ID);
    assertThat(second.next(MessageCase.WINDOW_EDGE).getWindowEdge().getEdge())
        .isEqualTo(Edge.EDGE_OPENING);
    second.send(go(run, Edge.EDGE_OPENING, ""));
    assertThat(second.next(MessageCase.WINDOW_EDGE).getWindowEdge().getEdge())
        .isEqualTo(Edge.EDGE_CLOSED);
    second.send(go(run, Edge.EDGE_CLOSED, ""));
    assertThat(second.next(MessageCase.COMPLETED).getCompleted().getResult().getNotesList())
        .isEmpty();
  }
}
