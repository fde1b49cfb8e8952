package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import railyard.schema.ViewSpec;
import railyard.schema.WindowSpec;

/**
 * Windows rows as a view declares, groups them by its group-by fields and computes its metrics.
 * The metrics combine before the shuffle, so only one small accumulator per key and window leaves
 * each worker, whatever the event rate. On bounded input, rows combine in a hash table within
 * each bundle instead, by time slice before the windows are assigned ({@link
 * CombineSlicesWithinBundleFn}), rather than by the runner's sort; that holds for sessions too,
 * which runners do not combine before the shuffle at all. A bounded sliding view then shuffles each
 * slice once and builds its windows after the shuffle ({@link CombineSlidingByTile}).
 */
@AutoValue
public abstract class AggregateView
    extends PTransform<PCollection<Row>, PCollection<KV<String, ViewResult>>> {
  /** Groups one bundle may hold before the shuffle: about 100 MB of accumulators at most. */
  static final int MAX_GROUPS_PER_BUNDLE = 200_000;

  abstract @Nullable ViewSpec view();

  abstract Builder toBuilder();

  public static AggregateView create() {
    return new AutoValue_AggregateView.Builder().build();
  }

  public AggregateView withView(ViewSpec view) {
    return toBuilder().setView(view).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setView(ViewSpec view);

    abstract AggregateView build();
  }

  @Override
  public PCollection<KV<String, ViewResult>> expand(PCollection<Row> rows) {
    checkArgument(view() != null, "AggregateView needs a view: call withView()");
    checkArgument(view().sql() == null, "view %s is an SQL view: compute it with SqlView", view().name());
    Schema schema = rows.getSchema();
    for (String field : view().groupBy()) {
      checkArgument(
          schema.hasField(field), "view %s groups by unknown field '%s'", view().name(), field);
    }
    view().metrics().stream()
        .filter(m -> m.field() != null)
        .forEach(
            m ->
                checkArgument(
                    schema.hasField(m.field()),
                    "view %s: metric %s reads unknown field '%s'",
                    view().name(),
                    m.name(),
                    m.field()));
    ViewKey key = new ViewKey(view().groupBy(), schema);
    ViewMetricsFn metrics = new ViewMetricsFn(view().metrics(), schema);
    PCollection<KV<String, ViewResult>> results =
        rows.isBounded() == PCollection.IsBounded.BOUNDED
            ? combineSlices(
                rows.apply(
                        "CombineWithinBundle",
                        ParDo.of(
                            new CombineSlicesWithinBundleFn(
                                metrics, key, view().window(), MAX_GROUPS_PER_BUNDLE)))
                    .setCoder(KvCoder.of(StringUtf8Coder.of(), new ViewAccumulator.Coder())),
                metrics)
            : rows.apply("Window", ViewWindowing.<Row>of(view(), rows.isBounded()))
                .apply(
                    "KeyByGroup",
                    WithKeys.of((Row row) -> key.of(row)).withKeyType(TypeDescriptors.strings()))
                .setCoder(KvCoder.of(StringUtf8Coder.of(), rows.getCoder()))
                .apply("Metrics", Combine.perKey(metrics));
    return results.setCoder(KvCoder.of(StringUtf8Coder.of(), new ViewResult.Coder()));
  }

  /**
   * A bounded view's windows from its slices. Sliding windows are built per tile after one shuffle
   * of each slice ({@link CombineSlidingByTile}); fixed windows and sessions hold a slice once
   * anyway, so their slices are windowed and combined as they are.
   */
  private PCollection<KV<String, ViewResult>> combineSlices(
      PCollection<KV<String, ViewAccumulator>> slices, ViewMetricsFn metrics) {
    if (view().window().kind() == WindowSpec.Kind.SLIDING) {
      return slices.apply("Metrics", new CombineSlidingByTile(metrics, view().window()));
    }
    return slices
        .apply("Window", ViewWindowing.of(view(), PCollection.IsBounded.BOUNDED))
        .apply("Metrics", Combine.perKey(new MergeAccumulatorsFn(metrics)));
  }
}
