package dev.kvmmp.aggregator;

import dev.kvmmp.proto.v1.Experiment;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/** Keeps the global store of experiments as kvmmp.experiments says (a null deletes). */
final class GlobalExperiments implements Processor<String, Experiment, Void, Void> {

  private TimestampedKeyValueStore<String, Experiment> store;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(ExperimentComparer.EXPERIMENTS);
  }

  @Override
  public void process(Record<String, Experiment> record) {
    if (record.value() == null) {
      store.delete(record.key());
    } else {
      store.put(record.key(), ValueAndTimestamp.make(record.value(), record.timestamp()));
    }
  }
}
