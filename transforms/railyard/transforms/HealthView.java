package railyard.transforms;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import railyard.schema.MetricSpec;
import railyard.schema.ViewSpec;
import railyard.schema.WindowSpec;

/**
 * The pipeline's own health as a reserved view, {@value #NAME}, one row a minute. Each element is
 * marked as a small row of counts ({@link HealthMarks}) and the marks go through {@link
 * ComputeViews} like any view: summed in the same combine before the shuffle, windowed, fired
 * early, on time and late, served and merged (batch over speed) exactly as the spec's views are.
 * {@link HealthDerived} then adds the columns that are ratios or differences of the sums.
 *
 * <p>Received events, their bytes, dead letters (by reason), late and dropped events count in
 * their minute of receipt; valid and unique events in their minute of event time. User view names
 * start with a letter, so the name cannot clash.
 */
public final class HealthView {
  public static final String NAME = "_health";
  public static final String RECEIVED = "received";
  public static final String VOLUME_BYTES = "volume_bytes";
  public static final String DEAD_LETTERS = "dead_letters";
  public static final String VALID = "valid";
  public static final String UNIQUE = "unique";
  public static final String LATE = "late";
  public static final String DROPPED = "dropped";
  public static final String NEWEST_EVENT_TIME = "newest_event_time";
  /** Prefix of the per-reason counts, e.g. {@code invalid_malformed_json}. */
  public static final String INVALID_PREFIX = "invalid_";
  /** Dead letters whose reason is not a {@link RejectReason}: a file drop's CSV row, a refusal. */
  public static final String INVALID_OTHER = INVALID_PREFIX + "other";

  /** Derived by {@link HealthDerived}, not summed. */
  public static final String DUPLICATES = "duplicates";
  public static final String INVALID_RATIO = "invalid_ratio";
  public static final String FRESHNESS_LAG_SECONDS = "freshness_lag_seconds";

  static final Schema MARKS = marksSchema();

  static final Duration WINDOW = Duration.standardMinutes(1);
  private static final Duration EARLY_FIRING = Duration.standardSeconds(10);

  private HealthView() {}

  /** Every summed column: the counts, then the invalid count of each reason. */
  public static List<String> countColumns() {
    List<String> columns = new ArrayList<>();
    for (Schema.Field field : MARKS.getFields()) {
      if (!field.getName().equals(NEWEST_EVENT_TIME)) {
        columns.add(field.getName());
      }
    }
    return columns;
  }

  /** Every column a health row may carry, summed and derived. */
  public static List<String> columns() {
    List<String> columns = new ArrayList<>(countColumns());
    columns.add(NEWEST_EVENT_TIME);
    columns.add(DUPLICATES);
    columns.add(INVALID_RATIO);
    columns.add(FRESHNESS_LAG_SECONDS);
    return columns;
  }

  public static String invalidColumn(String reason) {
    for (RejectReason known : RejectReason.values()) {
      if (known.code().equals(reason)) {
        return INVALID_PREFIX + reason;
      }
    }
    return INVALID_OTHER;
  }

  /** The view: one row a minute, the sums of the marks and the newest event time. */
  public static ViewSpec spec(Duration allowedLateness) {
    List<MetricSpec> metrics = new ArrayList<>();
    for (String column : countColumns()) {
      metrics.add(new MetricSpec(column, MetricSpec.Op.SUM, column));
    }
    metrics.add(new MetricSpec(NEWEST_EVENT_TIME, MetricSpec.Op.MAX, NEWEST_EVENT_TIME));
    return new ViewSpec(
        NAME, WindowSpec.fixed(WINDOW), List.of(), metrics, EARLY_FIRING, allowedLateness);
  }

  /** Marks each element as one count of {@code field}, keeping its timestamp. */
  public static <T> PTransform<PCollection<T>, PCollection<Row>> mark(String field) {
    return HealthMarks.count(field);
  }

  private static Schema marksSchema() {
    Schema.Builder schema =
        Schema.builder()
            .addInt64Field(RECEIVED)
            .addInt64Field(VOLUME_BYTES)
            .addInt64Field(DEAD_LETTERS)
            .addInt64Field(VALID)
            .addInt64Field(UNIQUE)
            .addInt64Field(LATE)
            .addInt64Field(DROPPED);
    for (RejectReason reason : RejectReason.values()) {
      schema.addInt64Field(INVALID_PREFIX + reason.code());
    }
    return schema
        .addInt64Field(INVALID_OTHER)
        .addNullableField(NEWEST_EVENT_TIME, Schema.FieldType.INT64)
        .build();
  }
}
