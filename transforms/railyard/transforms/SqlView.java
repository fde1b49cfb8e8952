package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.sql.SqlTransform;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;
import railyard.schema.SqlViewSpec;
import railyard.schema.ViewSpec;

/**
 * An SQL view: windows the rows as the view declares ({@link ViewWindowing}, so the same early, on
 * time and late panes as a metrics view), runs its Beam SQL statement over them as table {@code
 * PCOLLECTION}, and reads each result row as a key and metrics, ready for {@link ToServingRows}.
 * Beam SQL aggregates per window of its input when the statement names no window of its own.
 */
@AutoValue
public abstract class SqlView
    extends PTransform<PCollection<Row>, PCollection<KV<String, ViewResult>>> {

  abstract @Nullable ViewSpec view();

  abstract Builder toBuilder();

  public static SqlView create() {
    return new AutoValue_SqlView.Builder().build();
  }

  public SqlView withView(ViewSpec view) {
    return toBuilder().setView(view).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setView(ViewSpec view);

    abstract SqlView build();
  }

  @Override
  public PCollection<KV<String, ViewResult>> expand(PCollection<Row> rows) {
    checkArgument(view() != null, "SqlView needs a view: call withView()");
    SqlViewSpec sql = view().sql();
    checkArgument(sql != null, "view %s has no SQL; compute it with AggregateView", view().name());
    checkArgument(rows.hasSchema(), "SqlView needs rows with a schema");
    Schema output;
    try {
      output = SqlViewSchema.of(sql, rows.getSchema());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("view " + view().name() + ": " + e.getMessage(), e);
    }
    return rows.apply("Window", ViewWindowing.of(view(), rows.isBounded()))
        .apply("Sql", SqlTransform.query(sql.query()))
        .apply("ToResults", ParDo.of(new ToResultFn(sql, output)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), new ViewResult.Coder()));
  }

  /** One SQL result row as the serving row's key, event count and metric values. */
  private static final class ToResultFn extends DoFn<Row, KV<String, ViewResult>> {
    private final ViewKey key;
    private final int eventCount;
    private final int[] metrics;

    ToResultFn(SqlViewSpec sql, Schema output) {
      this.key = new ViewKey(sql.keys(), output);
      this.eventCount = output.indexOf(SqlViewSpec.EVENT_COUNT);
      this.metrics = sql.metrics().stream().mapToInt(output::indexOf).toArray();
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<KV<String, ViewResult>> out) {
      Number events = row.getValue(eventCount);
      double[] values = new double[metrics.length];
      for (int m = 0; m < metrics.length; m++) {
        values[m] = asDouble(row.getValue(metrics[m]));
      }
      out.output(KV.of(key.of(row), new ViewResult(events == null ? 0 : events.longValue(), values)));
    }

    /** A metric's value; {@code NaN} (left out of the serving row) for SQL's NULL. */
    private static double asDouble(@Nullable Object value) {
      if (value instanceof Number number) {
        return number.doubleValue();
      }
      if (value instanceof ReadableInstant instant) {
        return instant.getMillis();
      }
      return Double.NaN;
    }
  }
}
