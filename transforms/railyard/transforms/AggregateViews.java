package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import railyard.schema.ViewSpec;

/**
 * Windows rows as each view declares, groups them by the view's group-by fields and computes its
 * metrics; each view's results are in the output under {@link #resultsOf}. The metrics combine
 * before the shuffle, so only one small accumulator per key and window leaves each worker, whatever
 * the event rate. On bounded input, rows combine in hash tables within each bundle instead, by time
 * slice before the windows are assigned and for every view in one pass ({@link
 * CombineSlicesWithinBundleFn}), rather than by the runner's sort; that holds for sessions too,
 * which runners do not combine before the shuffle at all.
 */
@AutoValue
public abstract class AggregateViews extends PTransform<PCollection<Row>, PCollectionTuple> {
  /** Groups one bundle may hold per view before the shuffle: about 100 MB of accumulators at most. */
  static final int MAX_GROUPS_PER_BUNDLE = 200_000;

  abstract List<ViewSpec> views();

  public static AggregateViews of(List<ViewSpec> views) {
    return new AutoValue_AggregateViews(List.copyOf(views));
  }

  /** Where {@code view}'s results are in this transform's output: by key, per window and pane. */
  public static TupleTag<KV<String, ViewResult>> resultsOf(ViewSpec view) {
    return new TupleTag<>("results of " + view.name());
  }

  private static TupleTag<KV<String, ViewAccumulator>> partialsOf(ViewSpec view) {
    return new TupleTag<>("partials of " + view.name());
  }

  @Override
  public PCollectionTuple expand(PCollection<Row> rows) {
    checkArgument(!views().isEmpty(), "AggregateViews needs at least one view");
    Schema schema = rows.getSchema();
    views().forEach(view -> checkFields(view, schema));
    return rows.isBounded() == PCollection.IsBounded.BOUNDED
        ? combineWithinBundles(rows, schema)
        : combinePerWindow(rows, schema);
  }

  private PCollectionTuple combineWithinBundles(PCollection<Row> rows, Schema schema) {
    List<CombineSlicesWithinBundleFn.ViewFold> folds = new ArrayList<>();
    for (ViewSpec view : views()) {
      folds.add(
          new CombineSlicesWithinBundleFn.ViewFold(
              partialsOf(view),
              new ViewMetricsFn(view.metrics(), schema),
              new ViewKey(view.groupBy(), schema),
              view.window()));
    }
    TupleTagList others = TupleTagList.empty();
    for (ViewSpec view : views().subList(1, views().size())) {
      others = others.and(partialsOf(view));
    }
    PCollectionTuple partials =
        rows.apply(
            "CombineWithinBundle",
            ParDo.of(new CombineSlicesWithinBundleFn(folds, MAX_GROUPS_PER_BUNDLE))
                .withOutputTags(partialsOf(views().get(0)), others));
    PCollectionTuple results = PCollectionTuple.empty(rows.getPipeline());
    for (ViewSpec view : views()) {
      PCollection<KV<String, ViewResult>> viewResults =
          partials
              .get(partialsOf(view))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), new ViewAccumulator.Coder()))
              .apply("Window " + view.name(), ViewWindowing.of(view, rows.isBounded()))
              .apply(
                  "Metrics " + view.name(),
                  Combine.perKey(new MergeAccumulatorsFn(new ViewMetricsFn(view.metrics(), schema))));
      results = results.and(resultsOf(view), withResultCoder(viewResults));
    }
    return results;
  }

  private PCollectionTuple combinePerWindow(PCollection<Row> rows, Schema schema) {
    PCollectionTuple results = PCollectionTuple.empty(rows.getPipeline());
    for (ViewSpec view : views()) {
      ViewKey key = new ViewKey(view.groupBy(), schema);
      PCollection<KV<String, ViewResult>> viewResults =
          rows.apply("Window " + view.name(), ViewWindowing.<Row>of(view, rows.isBounded()))
              .apply(
                  "KeyByGroup " + view.name(),
                  WithKeys.of((Row row) -> key.of(row)).withKeyType(TypeDescriptors.strings()))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), rows.getCoder()))
              .apply(
                  "Metrics " + view.name(),
                  Combine.perKey(new ViewMetricsFn(view.metrics(), schema)));
      results = results.and(resultsOf(view), withResultCoder(viewResults));
    }
    return results;
  }

  private static PCollection<KV<String, ViewResult>> withResultCoder(
      PCollection<KV<String, ViewResult>> results) {
    return results.setCoder(KvCoder.of(StringUtf8Coder.of(), new ViewResult.Coder()));
  }

  private static void checkFields(ViewSpec view, Schema schema) {
    checkArgument(view.sql() == null, "view %s is an SQL view: compute it with SqlView", view.name());
    for (String field : view.groupBy()) {
      checkArgument(schema.hasField(field), "view %s groups by unknown field '%s'", view.name(), field);
    }
    view.metrics().stream()
        .filter(m -> m.field() != null)
        .forEach(
            m ->
                checkArgument(
                    schema.hasField(m.field()),
                    "view %s: metric %s reads unknown field '%s'",
                    view.name(),
                    m.name(),
                    m.field()));
  }
}
