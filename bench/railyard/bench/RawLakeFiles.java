package railyard.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;
import railyard.io.lake.LakeRecords;
import railyard.spec.PipelineSpec;

/**
 * The raw lake as the two reference programs read it, without Beam: the Avro files of a spec's
 * pipeline in path order, the receipt-time range the bench pipeline replays, and a reader that
 * decodes only what the work needs (receipt time and payload) from each record.
 */
final class RawLakeFiles {
  /** As {@code BenchPipeline}: the lake range replayed is the generator's start plus 7 days. */
  private static final long WORKLOAD_MILLIS = 7L * 24 * 3600 * 1000;

  private RawLakeFiles() {}

  /** Every {@code dt=…/hr=…/*.avro} file of the spec's pipeline, sorted by path. */
  static List<Path> list(PipelineSpec spec) {
    Path raw = Path.of(LakeRecords.rawDirectory(spec.outputs().lake(), spec.name()));
    if (!Files.isDirectory(raw)) {
      throw new IllegalArgumentException("no raw lake at " + raw.toAbsolutePath());
    }
    try (Stream<Path> paths = Files.walk(raw, 3)) {
      return paths
          .filter(p -> p.getFileName().toString().endsWith(".avro"))
          .filter(p -> raw.relativize(p).getNameCount() == 3)
          .filter(p -> p.getParent().getFileName().toString().startsWith("hr="))
          .filter(p -> p.getParent().getParent().getFileName().toString().startsWith("dt="))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Receipt times replayed, {@code [from, to)}: records outside are not read, as in Beam. */
  record ReceiptRange(long from, long to) implements java.io.Serializable {
    static ReceiptRange of(PipelineSpec spec) {
      long start = spec.source().generator().start().getMillis();
      return new ReceiptRange(start, start + WORKLOAD_MILLIS);
    }

    boolean contains(long receivedAt) {
      return receivedAt >= from && receivedAt < to;
    }
  }

  /** Opens a lake file for reading with {@link RawRecordReader}. */
  static DataFileReader<RawRecord> open(Path file) throws IOException {
    return new DataFileReader<>(new File(file.toString()), new RawRecordReader());
  }

  /** One lake record's receipt time and payload; reused from record to record. */
  static final class RawRecord {
    long receivedAt;
    ByteBuffer payload;

    byte[] bytes() {
      return payload.array();
    }

    int offset() {
      return payload.arrayOffset() + payload.position();
    }

    int length() {
      return payload.remaining();
    }
  }

  /**
   * Decodes {@link LakeRecords#SCHEMA} straight off the binary decoder: the source string and the
   * attributes map are skipped, the payload lands in the reused buffer. No GenericRecord, no map,
   * no copy of the payload.
   */
  static final class RawRecordReader implements DatumReader<RawRecord> {
    @Override
    public void setSchema(Schema writer) {
      // Field positions are hard-wired below; anything else must not be misread silently.
      if (!writer.equals(LakeRecords.SCHEMA)) {
        throw new IllegalArgumentException("not a raw lake file; its schema is " + writer);
      }
    }

    @Override
    public RawRecord read(RawRecord reuse, Decoder in) throws IOException {
      RawRecord record = reuse != null ? reuse : new RawRecord();
      in.skipString(); // source
      record.receivedAt = in.readLong();
      record.payload = in.readBytes(record.payload);
      // A map is written in blocks; skipMap() skips blocks whose byte size is known and returns
      // the entry count of one that has to be skipped entry by entry, 0 at the end.
      for (long entries = in.skipMap(); entries != 0; entries = in.skipMap()) {
        for (long i = 0; i < entries; i++) {
          in.skipString();
          in.skipString();
        }
      }
      return record;
    }
  }
}
