package railyard.io.serving;

import com.google.auto.value.AutoValue;
import java.util.Set;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import railyard.model.ServingRow;

/**
 * Writes serving rows to a {@link ServingStore}, bounded or unbounded:
 *
 * <pre>{@code
 * PCollection<Long> written =
 *     rows.apply(WriteServing.write().withLocation("sqlite:/data/serving.db")
 *         .withMergingViews(Set.of("sessions")));
 * }</pre>
 *
 * <p>Each worker instance opens the store once, and writes rows in batches of {@link
 * #getBatchSize()} (one transaction each), flushing whatever is left at the end of every bundle.
 * The output holds, per bundle and window, how many rows were written (upserts accepted by the
 * store, including those it kept an older or wider row over), timestamped at the latest of those
 * rows, so callers can wait on or sum it. Counters: {@code railyard/serving_rows_written} and
 * {@code railyard/serving_rows/<view>}.
 */
@AutoValue
public abstract class WriteServing extends PTransform<PCollection<ServingRow>, PCollection<Long>> {
  private static final long serialVersionUID = 1L;

  /** Rows per transaction unless {@link #withBatchSize(int)} says otherwise. */
  public static final int DEFAULT_BATCH_SIZE = 500;

  public abstract @Nullable String getLocation();

  public abstract Set<String> getMergingViews();

  public abstract int getBatchSize();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setLocation(String location);

    abstract Builder setMergingViews(Set<String> mergingViews);

    abstract Builder setBatchSize(int batchSize);

    abstract WriteServing build();
  }

  /** A write with no location yet, no merging views and batches of {@value #DEFAULT_BATCH_SIZE}. */
  public static WriteServing write() {
    return new AutoValue_WriteServing.Builder()
        .setMergingViews(Set.of())
        .setBatchSize(DEFAULT_BATCH_SIZE)
        .build();
  }

  /** The store: a path to a {@code .db} file or {@code sqlite:<path>}. */
  public WriteServing withLocation(String location) {
    requireArgument(location != null, "withLocation(location) needs a location, got null");
    return toBuilder().setLocation(location).build();
  }

  /** The views whose windows merge (session windows); see {@link ServingStore}. */
  public WriteServing withMergingViews(Set<String> mergingViews) {
    requireArgument(mergingViews != null, "withMergingViews(views) needs a set, got null");
    return toBuilder().setMergingViews(Set.copyOf(mergingViews)).build();
  }

  /** Rows per transaction; must be positive. */
  public WriteServing withBatchSize(int batchSize) {
    requireArgument(batchSize > 0, "withBatchSize(" + batchSize + ") must be positive");
    return toBuilder().setBatchSize(batchSize).build();
  }

  @Override
  public PCollection<Long> expand(PCollection<ServingRow> rows) {
    String location = getLocation();
    requireArgument(
        location != null,
        "WriteServing needs a store: call withLocation(\"sqlite:<path>\" or a .db path)");
    requireArgument(
        ServingStore.accepts(location),
        "WriteServing.withLocation(\""
            + location
            + "\") is not a serving store location: use sqlite:<path> or a .db path");
    return rows.apply(
            "WriteServingRows",
            ParDo.of(new WriteServingFn(location, getMergingViews(), getBatchSize())))
        .setCoder(VarLongCoder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .addIfNotNull(DisplayData.item("location", getLocation()).withLabel("Serving store"))
        .add(DisplayData.item("mergingViews", String.join(",", getMergingViews())))
        .add(DisplayData.item("batchSize", getBatchSize()).withLabel("Rows per transaction"));
  }

  private static void requireArgument(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
