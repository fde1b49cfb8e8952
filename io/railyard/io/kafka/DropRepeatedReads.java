package railyard.io.kafka;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import railyard.model.RawEvent;

/**
 * Passes each Kafka record once per run of the pipeline's state: a record at or below the highest
 * offset already passed for its topic partition is a second read and is dropped (counted under
 * {@code recordsReadTwice}).
 *
 * <p>Why: Beam 2.62's Flink runner, restoring a job from a checkpoint, hands each reader both its
 * restored split and a fresh one with the same index (apache/beam#31313); the fresh reader, which
 * starts at the group's committed offsets, takes the restored one's place, possibly after the
 * restored one has read some records. Records are thus read again that the restored state already
 * holds. The highest offset is kept in the pipeline's state, so it is restored with the same
 * checkpoint as the rest: what the checkpoint covers is dropped, what comes after it passes once.
 * Each topic partition is read in offset order, so a record at or below the highest offset has
 * passed already. (Resume from the newest checkpoint: one older than the group's commit would
 * leave the records in between to the lake alone.)
 */
final class DropRepeatedReads extends PTransform<PCollection<RawEvent>, PCollection<RawEvent>> {
  private static final long serialVersionUID = 1L;

  static final String NAMESPACE = "railyard.kafka";
  static final String READ_TWICE = "recordsReadTwice";

  @Override
  public PCollection<RawEvent> expand(PCollection<RawEvent> records) {
    return records
        .apply(
            "ByTopicPartition",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.strings(), TypeDescriptor.of(RawEvent.class)))
                .via(DropRepeatedReads::byTopicPartition))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RawEvent.RawEventCoder.of()))
        .apply("FirstReadsOnly", ParDo.of(new FirstReadsFn()))
        .setCoder(RawEvent.RawEventCoder.of());
  }

  private static KV<String, RawEvent> byTopicPartition(RawEvent record) {
    KafkaCoordinates at = KafkaCoordinates.of(record);
    return KV.of(at.topic() + "/" + at.partition(), record);
  }

  private static final class FirstReadsFn extends DoFn<KV<String, RawEvent>, RawEvent> {
    private final Counter readTwice = Metrics.counter(NAMESPACE, READ_TWICE);

    @StateId("highestOffset")
    private final StateSpec<ValueState<Long>> highestOffset = StateSpecs.value(VarLongCoder.of());

    @ProcessElement
    public void process(
        @Element KV<String, RawEvent> record,
        @StateId("highestOffset") ValueState<Long> highest,
        OutputReceiver<RawEvent> out) {
      long offset = KafkaCoordinates.of(record.getValue()).offset();
      Long passed = highest.read();
      if (passed != null && offset <= passed) {
        readTwice.inc();
        return;
      }
      highest.write(offset);
      out.output(record.getValue());
    }
  }
}
