package railyard.transforms;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import railyard.model.DeadLetter;

/**
 * What a stage that can reject records returns: the records it passed, and the ones it rejected.
 */
public final class WithDeadLetters<T> implements POutput {
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters") {};

  private final TupleTag<T> outputTag;
  private final PCollectionTuple tuple;

  private WithDeadLetters(TupleTag<T> outputTag, PCollectionTuple tuple) {
    this.outputTag = outputTag;
    this.tuple = tuple;
  }

  /** Wraps a multi-output ParDo's result whose outputs are {@code outputTag} and dead letters. */
  public static <T> WithDeadLetters<T> of(TupleTag<T> outputTag, PCollectionTuple tuple) {
    return new WithDeadLetters<>(outputTag, tuple);
  }

  public PCollection<T> output() {
    return tuple.get(outputTag);
  }

  public PCollection<DeadLetter> deadLetters() {
    return tuple.get(DEAD_LETTERS);
  }

  /** Another output a stage offers beside its records and dead letters, e.g. {@code PrepareEvents.VALID}. */
  public <V> PCollection<V> get(TupleTag<V> tag) {
    return tuple.get(tag);
  }

  /** This result with one more output under {@code tag}. */
  public <V> WithDeadLetters<T> and(TupleTag<V> tag, PCollection<V> extra) {
    return new WithDeadLetters<>(outputTag, tuple.and(tag, extra));
  }

  /** Joins a stage's passed records with dead letters collected elsewhere. */
  public static <T> WithDeadLetters<T> of(PCollection<T> output, PCollection<DeadLetter> deadLetters) {
    TupleTag<T> tag = new TupleTag<>("output");
    return new WithDeadLetters<>(
        tag, PCollectionTuple.of(tag, output).and(DEAD_LETTERS, deadLetters));
  }

  @Override
  public Pipeline getPipeline() {
    return tuple.getPipeline();
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return tuple.expand();
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}
}
