package railyard.io.fileimport;

import static railyard.io.files.Checks.checkArgument;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import railyard.io.files.Checks;
import railyard.io.files.Partitions;
import railyard.io.lake.LakeRecords;
import railyard.model.RawEvent;
import railyard.transforms.CountElements;
import railyard.transforms.RailyardMetrics;

/**
 * Lands the events of a file import ({@link ImportEventFiles}) in the raw lake once, however often
 * the same import is run: a rerun after a failed run, or of an overlapping file pattern, adds
 * nothing the lake already holds.
 *
 * <p>An imported record is named by its file ({@code file:<path>}) and line. The lines of one file
 * (all received at the file's modification time, so in one hour partition) land in one file,
 * {@code <root>/raw/<pipeline>/dt=…/hr=…/import-<file digest>-<first line>-<last line>.avro}
 * ({@link LakeRecords#SCHEMA}), written whole under a hidden name and renamed into place. A line
 * that a file of the same import in its hour partition already covers is not landed again; it is
 * counted under {@code railyard/lake_records_landed_before}. A file changed since (a new
 * modification time) is a new receipt, landed again.
 */
@AutoValue
public abstract class LandImportedEvents
    extends PTransform<PCollection<RawEvent>, PCollection<KV<String, String>>> {
  private static final long serialVersionUID = 1L;

  /** Imported records an earlier run had landed already. */
  public static final String LANDED_BEFORE = "lake_records_landed_before";

  public abstract @Nullable String getRoot();

  public abstract @Nullable String getPipelineName();

  abstract Builder toBuilder();

  /** Lands into the lake rooted at {@code root}, e.g. {@code /data/lake}. */
  public static LandImportedEvents to(String root) {
    return new AutoValue_LandImportedEvents.Builder().setRoot(root).build();
  }

  public LandImportedEvents withPipelineName(String pipelineName) {
    return toBuilder().setPipelineName(pipelineName).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setRoot(String root);

    abstract Builder setPipelineName(String pipelineName);

    abstract LandImportedEvents build();
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollection<RawEvent> events) {
    checkArgument(
        getRoot() != null && !getRoot().isEmpty(), "LandImportedEvents needs a lake root: to(root)");
    checkArgument(
        Checks.isPathSegment(getPipelineName()),
        "LandImportedEvents needs withPipelineName(name), a single path segment; was %s",
        getPipelineName());
    checkArgument(
        events.isBounded() == PCollection.IsBounded.BOUNDED,
        "LandImportedEvents lands a one-off import, bounded input; a stream lands with RawLakeWrite");
    return events
        .apply(CountElements.as(RailyardMetrics.LAKE_RECORDS))
        .apply(
            "ByFileAndHour",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(RawEvent.class)))
                .via(
                    (RawEvent event) ->
                        KV.of(Partitions.hourly(event.receivedAt()) + "|" + event.source(), event)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RawEvent.RawEventCoder.of()))
        .apply("GroupLines", GroupByKey.create())
        .apply(
            "LandFiles",
            ParDo.of(new LandFn(LakeRecords.rawDirectory(getRoot(), getPipelineName()))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
  }

  private static final class LandFn
      extends DoFn<KV<String, Iterable<RawEvent>>, KV<String, String>> {
    private static final long serialVersionUID = 1L;

    private final String rawDirectory;
    private final Counter landedBefore = RailyardMetrics.counter(LANDED_BEFORE);

    LandFn(String rawDirectory) {
      this.rawDirectory = rawDirectory;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<RawEvent>> lines, OutputReceiver<KV<String, String>> out)
        throws IOException {
      String key = lines.getKey();
      String hour = key.substring(0, key.indexOf('|'));
      String digest = ImportedFile.digest(key.substring(key.indexOf('|') + 1));
      ResourceId directory = hourDirectory(hour);
      List<long[]> landed = landedRanges(directory, digest);
      ResourceId temporary =
          directory.resolve(
              "." + ImportedFile.PREFIX + digest + "." + UUID.randomUUID() + ".tmp",
              StandardResolveOptions.RESOLVE_FILE);
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      try (OutputStream stream =
              Channels.newOutputStream(FileSystems.create(temporary, MimeTypes.BINARY));
          DataFileWriter<GenericRecord> writer =
              new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(LakeRecords.SCHEMA))) {
        writer.setCodec(CodecFactory.snappyCodec());
        writer.create(LakeRecords.SCHEMA, stream);
        for (RawEvent event : lines.getValue()) {
          long line = ImportEventFiles.lineOf(event);
          if (covered(landed, line)) {
            landedBefore.inc();
            continue;
          }
          writer.append(LakeRecords.toAvro(event));
          first = Math.min(first, line);
          last = Math.max(last, line);
        }
      }
      if (first > last) {
        FileSystems.delete(List.of(temporary), StandardMoveOptions.IGNORE_MISSING_FILES);
        return;
      }
      ResourceId target =
          directory.resolve(
              ImportedFile.fileName(digest, first, last), StandardResolveOptions.RESOLVE_FILE);
      FileSystems.rename(List.of(temporary), List.of(target));
      out.output(KV.of(hour, target.toString()));
    }

    private static boolean covered(List<long[]> ranges, long line) {
      for (long[] range : ranges) {
        if (range[0] <= line && line <= range[1]) {
          return true;
        }
      }
      return false;
    }

    /** The line ranges the lake's files of this import hold in one hour partition. */
    private static List<long[]> landedRanges(ResourceId directory, String digest)
        throws IOException {
      List<long[]> ranges = new ArrayList<>();
      MatchResult match =
          FileSystems.match(
              directory + ImportedFile.PREFIX + digest + "-*" + ImportedFile.SUFFIX,
              EmptyMatchTreatment.ALLOW);
      if (match.status() == MatchResult.Status.NOT_FOUND) {
        return ranges;
      }
      for (MatchResult.Metadata file : match.metadata()) {
        long[] range = ImportedFile.range(digest, file.resourceId().getFilename());
        if (range != null) {
          ranges.add(range);
        }
      }
      return ranges;
    }

    private ResourceId hourDirectory(String hourPartition) {
      ResourceId directory = FileSystems.matchNewResource(rawDirectory, true);
      for (String segment : hourPartition.split("/")) {
        directory = directory.resolve(segment, StandardResolveOptions.RESOLVE_DIRECTORY);
      }
      return directory;
    }
  }
}
