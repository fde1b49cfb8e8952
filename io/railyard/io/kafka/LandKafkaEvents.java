package railyard.io.kafka;

import static railyard.io.files.Checks.checkArgument;

import com.google.auto.value.AutoValue;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import railyard.io.files.Checks;
import railyard.io.files.Partitions;
import railyard.io.lake.LakeRecords;
import railyard.model.RawEvent;

/**
 * Lands Kafka records in the raw lake bundle by bundle, each file final (written, then renamed
 * into place) when the bundle finishes: with the Flink runner's {@code
 * finishBundleBeforeCheckpointing} (Railyard's default for streaming), a checkpoint, and so the
 * offset commit that follows it, completes only after every record it covers is in the lake.
 *
 * <p>Files go to {@code <root>/raw/<pipeline>/dt=…/hr=…/kafka-<topic>-<partition>-<first>-<last>.avro}
 * ({@link LakeRecords#SCHEMA}), one per hour partition, topic partition and bundle; the name holds
 * the offset range the file covers. A record whose offset a file in its hour partition already
 * covers is a replay copy (records read again after a restart, or read twice by a restored source)
 * and is not landed again: it is counted under {@code landedReplayCopies}. So the lake holds each
 * record once, however often it is read. Records of one topic partition must reach one instance in
 * read order, as they leave {@link ReadKafkaEvents} (keyed by topic partition). The output is the
 * path of every file landed, in the global window.
 *
 * <pre>{@code
 * events.apply(LandKafkaEvents.to("/data/lake").withPipelineName("orders"));
 * }</pre>
 */
@AutoValue
public abstract class LandKafkaEvents extends PTransform<PCollection<RawEvent>, PCollection<String>> {
  private static final long serialVersionUID = 1L;

  static final String NAMESPACE = "railyard.lake";
  static final String LANDED = "landedRecords";
  static final String REPLAY_COPIES = "landedReplayCopies";

  public abstract @Nullable String getRoot();

  public abstract @Nullable String getPipelineName();

  abstract Builder toBuilder();

  /** Lands into the lake rooted at {@code root}, e.g. {@code gs://bucket/lake} or {@code /data/lake}. */
  public static LandKafkaEvents to(String root) {
    return new AutoValue_LandKafkaEvents.Builder().setRoot(root).build();
  }

  public LandKafkaEvents withPipelineName(String pipelineName) {
    return toBuilder().setPipelineName(pipelineName).build();
  }

  @Override
  public PCollection<String> expand(PCollection<RawEvent> input) {
    checkArgument(
        getRoot() != null && !getRoot().isEmpty(), "LandKafkaEvents needs a lake root: to(root)");
    checkArgument(
        Checks.isPathSegment(getPipelineName()),
        "LandKafkaEvents needs withPipelineName(name), a single path segment; was %s",
        getPipelineName());
    return input.apply(
        "LandBundles",
        ParDo.of(new LandFn(LakeRecords.rawDirectory(getRoot(), getPipelineName()))));
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setRoot(String root);

    abstract Builder setPipelineName(String pipelineName);

    abstract LandKafkaEvents build();
  }

  private static final class LandFn extends DoFn<RawEvent, String> {
    private final String rawDirectory;
    private final Counter landed = Metrics.counter(NAMESPACE, LANDED);
    private final Counter replayCopies = Metrics.counter(NAMESPACE, REPLAY_COPIES);
    private transient LandedOffsets landedOffsets;
    private transient Map<LandedFile, TreeMap<Long, RawEvent>> bundle;

    LandFn(String rawDirectory) {
      this.rawDirectory = rawDirectory;
    }

    @Setup
    public void setup() {
      landedOffsets = new LandedOffsets(rawDirectory);
    }

    @StartBundle
    public void startBundle() {
      bundle = new TreeMap<>();
    }

    @ProcessElement
    public void process(@Element RawEvent event) throws Exception {
      KafkaCoordinates at = KafkaCoordinates.of(event);
      LandedFile file =
          new LandedFile(Partitions.hourly(event.receivedAt()), at.topic(), at.partition());
      if (landedOffsets.covers(file, at.offset())
          || bundle.computeIfAbsent(file, f -> new TreeMap<>()).putIfAbsent(at.offset(), event)
              != null) {
        replayCopies.inc();
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) throws Exception {
      for (Map.Entry<LandedFile, TreeMap<Long, RawEvent>> file : bundle.entrySet()) {
        TreeMap<Long, RawEvent> byOffset = file.getValue();
        String path = LakeLandingFiles.write(rawDirectory, file.getKey(), byOffset);
        landedOffsets.add(file.getKey(), byOffset.firstKey(), byOffset.lastKey());
        landed.inc(byOffset.size());
        long newest = byOffset.values().stream().mapToLong(RawEvent::receivedAt).max().getAsLong();
        context.output(path, new Instant(newest), GlobalWindow.INSTANCE);
      }
      bundle = new TreeMap<>();
    }
  }
}
