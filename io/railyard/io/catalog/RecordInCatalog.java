package railyard.io.catalog;

import static railyard.io.files.Checks.checkArgument;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import railyard.io.files.Checks;

/**
 * Records each Parquet file a warehouse write produced — its (partition, file) pairs — in the
 * {@link FileCatalog} next to the warehouse, with its rows and event-time range. Batch writes
 * report their files once at the end; streaming writes, each window's files as they are published,
 * so the catalog follows a streaming run as it goes. An entry is written once: a file reported
 * again (a resumed run publishing it again) keeps its first entry.
 */
public final class RecordInCatalog
    extends PTransform<PCollection<KV<String, String>>, PCollection<FileEntry>> {
  private final String warehouseRoot;
  private final String table;
  private final int schemaVersion;

  private RecordInCatalog(String warehouseRoot, String table, int schemaVersion) {
    this.warehouseRoot = warehouseRoot;
    this.table = table;
    this.schemaVersion = schemaVersion;
  }

  /** Records files of {@code table}, written at {@code schemaVersion}, under {@code warehouseRoot}. */
  public static RecordInCatalog of(String warehouseRoot, String table, int schemaVersion) {
    return new RecordInCatalog(warehouseRoot, table, schemaVersion);
  }

  @Override
  public PCollection<FileEntry> expand(PCollection<KV<String, String>> writtenFiles) {
    checkArgument(warehouseRoot != null && !warehouseRoot.isEmpty(), "RecordInCatalog needs a warehouse root");
    checkArgument(Checks.isPathSegment(table), "RecordInCatalog needs a table name, was %s", table);
    checkArgument(schemaVersion >= 1, "the schema version must be 1 or more, was %s", schemaVersion);
    return writtenFiles
        .apply("RecordFiles", ParDo.of(new RecordFn(warehouseRoot, table, schemaVersion)))
        .setCoder(SerializableCoder.of(FileEntry.class));
  }

  private static final class RecordFn extends DoFn<KV<String, String>, FileEntry> {
    private final Counter recorded = Metrics.counter("railyard.catalog", "files_recorded");
    private final String warehouseRoot;
    private final String table;
    private final int schemaVersion;
    private transient ParquetFacts facts;

    RecordFn(String warehouseRoot, String table, int schemaVersion) {
      this.warehouseRoot = warehouseRoot;
      this.table = table;
      this.schemaVersion = schemaVersion;
    }

    @Setup
    public void setup() throws Exception {
      facts = new ParquetFacts();
    }

    @ProcessElement
    public void process(@Element KV<String, String> written, OutputReceiver<FileEntry> out)
        throws Exception {
      FileCatalog catalog = FileCatalog.at(warehouseRoot);
      Path file = Path.of(written.getValue()).toAbsolutePath().normalize();
      ParquetFacts.Facts read = facts.of(file.toString());
      FileEntry entry =
          new FileEntry(
              catalog.tableDirectory(table).relativize(file).toString(),
              written.getKey(),
              read.rows(),
              Files.size(file),
              read.minEventTime(),
              read.maxEventTime(),
              schemaVersion,
              Instant.now().toString());
      catalog.record(table, entry);
      recorded.inc();
      out.output(entry);
    }

    @Teardown
    public void teardown() throws Exception {
      if (facts != null) {
        facts.close();
      }
    }
  }
}
