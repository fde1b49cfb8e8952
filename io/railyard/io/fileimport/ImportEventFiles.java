package railyard.io.fileimport;

import static railyard.io.files.Checks.checkArgument;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.beam.sdk.io.FileIO;
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

  /** One raw event per line of a file, its bytes unchanged. */
  private static final class LinesFn extends DoFn<FileIO.ReadableFile, RawEvent> {
    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<RawEvent> out)
        throws IOException {
      MatchResult.Metadata metadata = file.getMetadata();
      String source = "file:" + metadata.resourceId();
      long receivedAt =
          metadata.lastModifiedMillis() > 0
              ? metadata.lastModifiedMillis()
              : System.currentTimeMillis();
      EventLines.split(
          Channels.newInputStream(file.open()),
          (lineNumber, bytes) ->
              out.output(
                  new RawEvent(source, receivedAt, bytes, Map.of("line", Long.toString(lineNumber)))));
    }
  }
}
