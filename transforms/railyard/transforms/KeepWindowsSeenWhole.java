package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;
import railyard.model.ServingRow;
import railyard.schema.ViewSpec;

/**
 * Keeps the serving rows of a batch run over the events received in [{@code from}, {@code to})
 * whose window that run saw whole, so a backfill of part of a range never replaces a correct
 * speed row with a row of part of its window's events.
 *
 * <p>An accepted event lies within the allowed skew of its receipt, either way, so every event of
 * a window [start, end) was received in [start - skew, end + skew): the run saw the window whole
 * when that lies inside its range. A session grows from any event less than a gap before its
 * start, so a session needs the gap before it too. The other rows are dropped and counted under
 * {@code railyard/serving_rows_partial}.
 */
@AutoValue
public abstract class KeepWindowsSeenWhole
    extends PTransform<PCollection<ServingRow>, PCollection<ServingRow>> {
  private static final long serialVersionUID = 1L;

  /** The counter of rows dropped because their window reaches outside the range. */
  public static final String PARTIAL = "serving_rows_partial";

  abstract @Nullable Instant from();

  abstract @Nullable Instant to();

  abstract Duration allowedSkew();

  abstract Map<String, Long> sessionGapMillis();

  abstract Builder toBuilder();

  /** Rows of a run over events received in [{@code from}, {@code to}), skew zero, no sessions. */
  public static KeepWindowsSeenWhole receivedIn(Instant from, Instant to) {
    return new AutoValue_KeepWindowsSeenWhole.Builder()
        .setFrom(from)
        .setTo(to)
        .setAllowedSkew(Duration.ZERO)
        .setSessionGapMillis(Map.of())
        .build();
  }

  /** How far an accepted event's time may lie from its receipt (the spec's allowedSkew). */
  public KeepWindowsSeenWhole withAllowedSkew(Duration allowedSkew) {
    return toBuilder().setAllowedSkew(allowedSkew).build();
  }

  /** The views whose rows are sessions, for their gaps. */
  public KeepWindowsSeenWhole withViews(List<ViewSpec> views) {
    Map<String, Long> gaps = new HashMap<>();
    for (ViewSpec view : views) {
      if (view.window().merging()) {
        gaps.put(view.name(), view.window().gap().getMillis());
      }
    }
    return toBuilder().setSessionGapMillis(Map.copyOf(gaps)).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setFrom(Instant from);

    abstract Builder setTo(Instant to);

    abstract Builder setAllowedSkew(Duration allowedSkew);

    abstract Builder setSessionGapMillis(Map<String, Long> gaps);

    abstract KeepWindowsSeenWhole build();
  }

  @Override
  public PCollection<ServingRow> expand(PCollection<ServingRow> rows) {
    checkArgument(
        from() != null && to() != null && from().isBefore(to()),
        "KeepWindowsSeenWhole needs a range with from before to: receivedIn(from, to)");
    checkArgument(
        !allowedSkew().isShorterThan(Duration.ZERO),
        "withAllowedSkew(d) needs d >= 0, was %s",
        allowedSkew());
    return rows.apply(
            "WindowsSeenWhole",
            ParDo.of(
                new KeepFn(
                    from().getMillis(),
                    to().getMillis(),
                    allowedSkew().getMillis(),
                    new HashMap<>(sessionGapMillis()))))
        .setCoder(rows.getCoder());
  }

  /** Whether a run over [from, to) saw every event of {@code row}'s window. */
  static boolean seenWhole(ServingRow row, long from, long to, long skew, long gapBefore) {
    return row.windowStart() - gapBefore - skew >= from && row.windowEnd() + skew <= to;
  }

  private static final class KeepFn extends DoFn<ServingRow, ServingRow> {
    private static final long serialVersionUID = 1L;

    private final long from;
    private final long to;
    private final long skew;
    private final HashMap<String, Long> sessionGaps;
    private final Counter partial = RailyardMetrics.counter(PARTIAL);

    KeepFn(long from, long to, long skew, HashMap<String, Long> sessionGaps) {
      this.from = from;
      this.to = to;
      this.skew = skew;
      this.sessionGaps = sessionGaps;
    }

    @ProcessElement
    public void process(@Element ServingRow row, OutputReceiver<ServingRow> out) {
      if (seenWhole(row, from, to, skew, sessionGaps.getOrDefault(row.view(), 0L))) {
        out.output(row);
      } else {
        partial.inc();
      }
    }
  }
}
