package railyard.io.fileimport;

import static railyard.io.files.Checks.checkArgument;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import railyard.model.RawEvent;

/**
 * A one-off import of JSON-lines files (gzip too, by extension): each line becomes one raw event,
 * its bytes exactly as in the file. An event's receipt time is its file's modification time where
 * the file system reports one (object stores do), else the time of the import; its source is {@code file:<path>} with the line number in the {@code line} attribute.
 *
 * <pre>{@code
 * p.apply(ImportEventFiles.create().withFilepattern("exports/2026-01-*.jsonl.gz"));
 * }</pre>
 */
@AutoValue
public abstract class ImportEventFiles extends PTransform<PBegin, PCollection<RawEvent>> {

  public abstract @Nullable String getFilepattern();

  abstract Builder toBuilder();

  public static ImportEventFiles create() {
    return new AutoValue_ImportEventFiles.Builder().build();
  }

  /** A file, glob or folder pattern that Beam's file systems understand (local, gs://, s3://). */
  public ImportEventFiles withFilepattern(String filepattern) {
    return toBuilder().setFilepattern(filepattern).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setFilepattern(String filepattern);

    abstract ImportEventFiles build();
  }

  @Override
  public PCollection<RawEvent> expand(PBegin begin) {
    checkArgument(
        getFilepattern() != null, "ImportEventFiles needs files: call withFilepattern(pattern)");
    return begin
        .apply("MatchFiles", FileIO.match().filepattern(getFilepattern()))
        .apply("OpenFiles", FileIO.readMatches())
        .apply("SplitLines", ParDo.of(new LinesFn()));
  }

  /**
   * The file's modification time, else now. {@code FileIO.match()} hands metadata on with a coder
   * that drops the time, so it is asked of the file system again: the same import run twice then
   * gives its events the same receipt time, and so the same identity.
   */
  private static long modifiedMillis(MatchResult.Metadata metadata) throws IOException {
    long modified = metadata.lastModifiedMillis();
    if (modified <= 0) {
      modified = FileSystems.matchSingleFileSpec(metadata.resourceId().toString()).lastModifiedMillis();
    }
    return modified > 0 ? modified : System.currentTimeMillis();
  }

  /** The attribute holding an imported event's 1-based line number in its file. */
  public static final String LINE = "line";

  /** The line of its file an event of this import came from. */
  static long lineOf(RawEvent event) {
    String line = event.attributes().get(LINE);
    if (line == null) {
      throw new IllegalArgumentException(
          "event from " + event.source() + " has no '" + LINE + "' attribute: only events of"
              + " ImportEventFiles can be landed by LandImportedEvents");
    }
    return Long.parseLong(line);
  }

  /** One raw event per line of a file, its bytes unchanged. */
  private static final class LinesFn extends DoFn<FileIO.ReadableFile, RawEvent> {
    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<RawEvent> out)
        throws IOException {
      MatchResult.Metadata metadata = file.getMetadata();
      String source = "file:" + metadata.resourceId();
      long receivedAt = modifiedMillis(metadata);
      EventLines.split(
          Channels.newInputStream(file.open()),
          (lineNumber, bytes) ->
              out.output(
                  new RawEvent(source, receivedAt, bytes, Map.of(LINE, Long.toString(lineNumber)))));
    }
  }
}
