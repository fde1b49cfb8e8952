package railyard.transforms;

import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import railyard.schema.MetricSpec;
import railyard.schema.ViewSpec;
import railyard.schema.WindowSpec;

/**
 * The pipeline's own health as a reserved view, {@value #NAME}: per minute, the events received,
 * the dead letters and the unique events. Each is marked as a one-field row and the marks go
 * through {@link ComputeViews} like any view, so health rows are windowed, fire early, on time and
 * late, and are served and merged (batch over speed) exactly as the spec's views are. Received
 * events and dead letters count in their minute of receipt, unique events in their minute of event
 * time. User view names start with a letter, so the name cannot clash.
 */
public final class HealthView {
  public static final String NAME = "_health";
  public static final String RECEIVED = "received";
  public static final String DEAD_LETTERS = "dead_letters";
  public static final String UNIQUE = "unique";

  static final Schema MARKS =
      Schema.builder()
          .addInt64Field(RECEIVED)
          .addInt64Field(DEAD_LETTERS)
          .addInt64Field(UNIQUE)
          .build();

  private static final Duration WINDOW = Duration.standardMinutes(1);
  private static final Duration EARLY_FIRING = Duration.standardSeconds(10);

  private HealthView() {}

  /** The view: one row a minute, the sums of the marks. */
  public static ViewSpec spec(Duration allowedLateness) {
    return new ViewSpec(
        NAME,
        WindowSpec.fixed(WINDOW),
        List.of(),
        List.of(
            new MetricSpec(RECEIVED, MetricSpec.Op.SUM, RECEIVED),
            new MetricSpec(DEAD_LETTERS, MetricSpec.Op.SUM, DEAD_LETTERS),
            new MetricSpec(UNIQUE, MetricSpec.Op.SUM, UNIQUE)),
        EARLY_FIRING,
        allowedLateness);
  }

  /** Marks each element as one count of {@code field}, keeping its timestamp. */
  public static <T> PTransform<PCollection<T>, PCollection<Row>> mark(String field) {
    int index = MARKS.indexOf(field);
    return new PTransform<>() {
      @Override
      public PCollection<Row> expand(PCollection<T> input) {
        return input
            .apply(
                "Mark " + field,
                MapElements.into(TypeDescriptors.rows())
                    .via(
                        element -> {
                          Long[] counts = {0L, 0L, 0L};
                          counts[index] = 1L;
                          return Row.withSchema(MARKS).addValues((Object[]) counts).build();
                        }))
            .setRowSchema(MARKS);
      }
    };
  }
}
