package railyard.io.filedrop;

import static railyard.io.files.Checks.checkArgument;

import com.google.auto.value.AutoValue;
import javax.annotation.Nullable;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import railyard.io.files.PolledFiles;
import railyard.model.RawEvent;
import railyard.transforms.WithDeadLetters;

/**
 * Files dropped into a folder (or under a bucket prefix: any path Beam's file systems know) become
 * raw events: JSON lines (each line one event, bytes unchanged) or CSV (each row one JSON object),
 * gzip too. The pattern is matched again every poll interval; each file name is read once, the
 * first time it matches. Unreadable CSV rows are dead letters.
 *
 * <pre>{@code
 * p.apply(WatchEventFiles.create()
 *     .withFilepattern("drops/*.jsonl")
 *     .withPollInterval(Duration.standardSeconds(5)));
 * }</pre>
 *
 * <p>Producers should write a file under a name the pattern does not match and rename it into
 * place when it is complete: a file still being written may be matched, and is then read as it is
 * at that moment, never again.
 */
@AutoValue
public abstract class WatchEventFiles extends PTransform<PBegin, WithDeadLetters<RawEvent>> {

  public abstract @Nullable String getFilepattern();

  public abstract @Nullable Duration getPollInterval();

  public abstract @Nullable DropFormat getFormat();

  public abstract @Nullable Duration getStopWhenIdleFor();

  public abstract boolean getOnce();

  abstract Builder toBuilder();

  public static WatchEventFiles create() {
    return new AutoValue_WatchEventFiles.Builder()
        .setPollInterval(Duration.standardSeconds(5))
        .setOnce(false)
        .build();
  }

  /** A file, glob or folder pattern that Beam's file systems understand (local, gs://, s3://). */
  public WatchEventFiles withFilepattern(String filepattern) {
    return toBuilder().setFilepattern(filepattern).build();
  }

  /** How often the pattern is matched again; 5 seconds unless set. */
  public WatchEventFiles withPollInterval(Duration pollInterval) {
    return toBuilder().setPollInterval(pollInterval).build();
  }

  /** Reads every file in {@code format}; without it, a file's name tells (see {@link DropFormat}). */
  public WatchEventFiles withFormat(DropFormat format) {
    return toBuilder().setFormat(format).build();
  }

  /**
   * Stops watching once no new file has matched for {@code idle} (after the first file); without
   * it the watch never ends.
   */
  public WatchEventFiles withStopWhenIdleFor(Duration idle) {
    return toBuilder().setStopWhenIdleFor(idle).build();
  }

  /** Matches the pattern once and reads what is there: a bounded, one-off import. */
  public WatchEventFiles once() {
    return toBuilder().setOnce(true).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setFilepattern(String filepattern);

    abstract Builder setPollInterval(Duration pollInterval);

    abstract Builder setFormat(DropFormat format);

    abstract Builder setStopWhenIdleFor(Duration idle);

    abstract Builder setOnce(boolean once);

    abstract WatchEventFiles build();
  }

  @Override
  public WithDeadLetters<RawEvent> expand(PBegin begin) {
    checkArgument(
        getFilepattern() != null, "WatchEventFiles needs files: call withFilepattern(pattern)");
    checkArgument(
        getPollInterval() != null && getPollInterval().isLongerThan(Duration.ZERO),
        "WatchEventFiles needs a poll interval above zero: call withPollInterval(duration)");
    PCollection<MatchResult.Metadata> files =
        getOnce()
            ? begin.apply(
                "MatchFiles",
                FileIO.match()
                    .filepattern(getFilepattern())
                    .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
            : begin.apply(
                "MatchFiles",
                PolledFiles.of(PolledFiles.matching(getFilepattern()), getPollInterval())
                    .withStopWhenIdleFor(getStopWhenIdleFor()));
    PCollectionTuple read =
        files
            .apply("OpenFiles", FileIO.readMatches())
            .apply(
                "ReadEvents",
                ParDo.of(new DroppedFileFn(getFormat()))
                    .withOutputTags(
                        DroppedFileFn.EVENTS, TupleTagList.of(WithDeadLetters.DEAD_LETTERS)));
    return WithDeadLetters.of(DroppedFileFn.EVENTS, read);
  }
}
