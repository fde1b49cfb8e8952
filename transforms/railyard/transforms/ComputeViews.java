package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import railyard.model.ServingRow;
import railyard.schema.MetricSpec;
import railyard.schema.ViewSpec;

/**
 * Computes every view over the same rows and writes all of their panes as serving rows. Metrics
 * views fold rows into time slices within each bundle and build their windows from the slices
 * after the shuffle, in both modes. On bounded input they are computed together, in one pass and
 * one shuffle ({@link AggregateBoundedViews}). On a stream too ({@link AggregateStreamViews}): one
 * pass, one shuffle, and one stateful step per key that keeps every view's live windows and fires
 * their panes by timers, from rows first cut down to the fields the views read. SQL views ({@link SqlView}) read the whole rows.
 */
@AutoValue
public abstract class ComputeViews extends PTransform<PCollection<Row>, PCollection<ServingRow>> {

  abstract List<ViewSpec> views();

  abstract @Nullable ServingRow.Layer layer();

  abstract Builder toBuilder();

  public static ComputeViews of(List<ViewSpec> views) {
    return new AutoValue_ComputeViews.Builder().setViews(List.copyOf(views)).build();
  }

  public ComputeViews withLayer(ServingRow.Layer layer) {
    return toBuilder().setLayer(layer).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setViews(List<ViewSpec> views);

    abstract Builder setLayer(ServingRow.Layer layer);

    abstract ComputeViews build();
  }

  @Override
  public PCollection<ServingRow> expand(PCollection<Row> rows) {
    checkArgument(!views().isEmpty(), "ComputeViews needs at least one view");
    checkArgument(layer() != null, "ComputeViews needs a layer: call withLayer()");
    List<ViewSpec> metricsViews = views().stream().filter(v -> v.sql() == null).toList();
    PCollectionList<ServingRow> all = PCollectionList.empty(rows.getPipeline());
    if (!metricsViews.isEmpty()) {
      // Bounded views are grouped once, which needs a bounded input (CombineInBuckets); a stream's
      // keep their windows in state and fire them by timers.
      all =
          all.and(
              rows.isBounded() == PCollection.IsBounded.BOUNDED
                  ? rows.apply(
                      "Aggregate",
                      AggregateBoundedViews.of(metricsViews)
                          .into(
                              ToServingRows.ofBoundedViews(metricsViews, layer()),
                              ServingRow.ServingRowCoder.of()))
                  : aggregateStream(rows, metricsViews));
    }
    for (ViewSpec view : views()) {
      // An SQL statement may read any field, so SQL views read the whole rows.
      if (view.sql() != null) {
        all = all.and(serve(view, rows.apply("Sql " + view.name(), SqlView.create().withView(view))));
      }
    }
    return all.apply("AllViews", Flatten.pCollections());
  }

  /**
   * A stream's metrics views, from rows cut down to what they read: the views that fire early
   * alike computed together, in one pass, one shuffle and one stateful step per key.
   */
  private PCollection<ServingRow> aggregateStream(PCollection<Row> rows, List<ViewSpec> metricsViews) {
    PCollection<Row> viewFields = rows.apply("KeepViewFields", new ProjectFields(metricsViewFields()));
    Map<Optional<Duration>, List<ViewSpec>> byEarlyFiring =
        metricsViews.stream()
            .collect(
                Collectors.groupingBy(
                    v -> Optional.ofNullable(v.earlyFiring()), LinkedHashMap::new, Collectors.toList()));
    PCollectionList<ServingRow> served = PCollectionList.empty(rows.getPipeline());
    int group = 0;
    for (List<ViewSpec> views : byEarlyFiring.values()) {
      PCollectionTuple panes =
          viewFields.apply(
              byEarlyFiring.size() == 1 ? "Aggregate views" : "Aggregate views " + ++group,
              AggregateStreamViews.of(views));
      for (ViewSpec view : views) {
        served = served.and(serve(view, panes.get(AggregateStreamViews.panesOf(view))));
      }
    }
    return served.apply("MetricsViews", Flatten.pCollections());
  }

  private PCollection<ServingRow> serve(ViewSpec view, PCollection<KV<String, ViewResult>> results) {
    return results.apply(
        "Serve " + view.name(), ToServingRows.create().withView(view).withLayer(layer()));
  }

  /**
   * Every field the views read, once each, or nothing when an SQL view reads the whole rows: what
   * a pipeline with no other consumer needs to keep of its rows ({@link
   * PrepareEvents#withKeptFields}).
   */
  public Optional<List<String>> fieldsRead() {
    return views().stream().anyMatch(v -> v.sql() != null)
        ? Optional.empty()
        : Optional.of(metricsViewFields());
  }

  /** Every field some metrics view groups by or measures, once each. */
  private List<String> metricsViewFields() {
    Set<String> fields = new LinkedHashSet<>();
    for (ViewSpec view : views()) {
      if (view.sql() != null) {
        continue;
      }
      fields.addAll(view.groupBy());
      view.metrics().stream().map(MetricSpec::field).filter(Objects::nonNull).forEach(fields::add);
    }
    return List.copyOf(fields);
  }
}
