package railyard.io.warehouse;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import railyard.transforms.RailyardMetrics;

/**
 * Counts the rows of the warehouse's published Parquet files, from each file's footer, as {@link
 * RailyardMetrics#WAREHOUSE_ROWS_WRITTEN}: what the warehouse holds from this run, which is not
 * what went into the write if the write lost or doubled any. Takes the (partition, path) pairs a
 * {@link WarehouseWrite} returns and passes them on.
 *
 * <p>Applied after the write, never inside its publishing step: Flink streaming runs that step when
 * a checkpoint completes, outside any metrics container, where a counter counts nothing. A file
 * reported again to the same worker (a repeated move, see {@code files_published_again}) is
 * counted once; a run resumed from a checkpoint counts what it publishes again in its own figure.
 */
public final class CountWarehouseRows
    extends PTransform<PCollection<KV<String, String>>, PCollection<KV<String, String>>> {
  /** How many published paths a worker remembers to count each once. */
  static final int REMEMBERED = 10_000;

  private CountWarehouseRows() {}

  public static CountWarehouseRows create() {
    return new CountWarehouseRows();
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollection<KV<String, String>> published) {
    return published.apply("CountRowsInFooters", ParDo.of(new CountFn())).setCoder(published.getCoder());
  }

  private static final class CountFn extends DoFn<KV<String, String>, KV<String, String>> {
    private final Counter rows = RailyardMetrics.counter(RailyardMetrics.WAREHOUSE_ROWS_WRITTEN);
    private transient Map<String, Boolean> counted;

    @Setup
    public void setup() {
      counted =
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > REMEMBERED;
            }
          };
    }

    @ProcessElement
    public void process(@Element KV<String, String> file, OutputReceiver<KV<String, String>> out)
        throws IOException {
      if (counted.put(file.getValue(), Boolean.TRUE) == null) {
        rows.inc(rowsOf(FileSystems.matchNewResource(file.getValue(), false)));
      }
      out.output(file);
    }
  }

  /** The rows a Parquet file's footer records, read through Beam's file systems. */
  static long rowsOf(ResourceId file) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(new BeamInputFile(file))) {
      return reader.getRecordCount();
    }
  }

  /** A file Beam's file systems can open (local, gs://, s3://), as Parquet reads one. */
  private record BeamInputFile(ResourceId file) implements InputFile {
    @Override
    public long getLength() throws IOException {
      return FileSystems.matchSingleFileSpec(file.toString()).sizeBytes();
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      SeekableByteChannel channel = (SeekableByteChannel) FileSystems.open(file);
      return new DelegatingSeekableInputStream(Channels.newInputStream(channel)) {
        @Override
        public long getPos() throws IOException {
          return channel.position();
        }

        @Override
        public void seek(long position) throws IOException {
          channel.position(position);
        }
      };
    }
  }
}
