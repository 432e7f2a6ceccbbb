package dev.kvmmp.coordinator.state;

import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.Run;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the coordinator records every experiment and run change, and reads them back when it
 * starts: Kafka's compacted {@code kvmmp.experiments} and {@code kvmmp.runs} topics in
 * production ({@link KafkaStateLog}), memory in unit tests and when no broker is given.
 */
public interface StateLog extends AutoCloseable {

  /**
   * Records a new experiment and all its runs, durably, before returning: a submission is either
   * recorded whole or not at all (runs of an experiment whose own record is missing are ignored
   * when state is read back).
   *
   * @throws StateLogException when the records could not be written
   */
  void submitted(Experiment experiment, List<Run> runs);

  /** Records an experiment's new state; in order with the other changes of the same id. */
  void experimentChanged(Experiment experiment);

  /**
   * Records a run's new state; in order with the other changes of the same run.
   *
   * @return completes when the change is durable: a result is acknowledged to its worker only
   *     then, so a coordinator that dies right after cannot lose it
   */
  CompletableFuture<Void> runChanged(Run run);

  /** Everything recorded so far, the latest version of each experiment and run. */
  RecordedState read();

  @Override
  void close();
}
