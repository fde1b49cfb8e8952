package railyard.io.kafka;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import railyard.io.serving.ServingStore;
import railyard.model.ServingRow;

/** What a job run has left in its finished lake, warehouse and serving files, read back. */
public final class JobOutputs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path out;

  public JobOutputs(Path out) {
    this.out = out;
  }

  public Path lake() {
    return out.resolve("lake");
  }

  public Path warehouse() {
    return out.resolve("warehouse");
  }

  public String serving() {
    return out.resolve("serving.db").toString();
  }

  /** The {@code source} of every raw-lake record (one entry per record, copies included). */
  public List<String> lakeSources() throws IOException {
    List<String> sources = new ArrayList<>();
    for (Path file : finished(lake().resolve("raw"), ".avro")) {
      try (DataFileReader<GenericRecord> reader =
          new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
        while (reader.hasNext()) {
          sources.add(reader.next().get("source").toString());
        }
      }
    }
    return sources;
  }

  /** The value of {@code field} in every warehouse row (one entry per row, copies included). */
  /** SHA-256 digests of the payloads of every finished raw lake record. */
  public List<String> lakePayloadDigests() throws IOException {
    List<String> digests = new ArrayList<>();
    for (Path file : finished(lake().resolve("raw"), ".avro")) {
      try (DataFileReader<GenericRecord> reader =
          new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
        for (GenericRecord record : reader) {
          ByteBuffer payload = ((ByteBuffer) record.get("payload")).duplicate();
          byte[] bytes = new byte[payload.remaining()];
          payload.get(bytes);
          digests.add(sha256(bytes));
        }
      }
    }
    return digests;
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public List<String> warehouseValues(String field) throws IOException {
    List<String> values = new ArrayList<>();
    for (Path file : finished(warehouse(), ".parquet")) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(
                      new org.apache.hadoop.fs.Path(file.toString()), new Configuration()))
              .build()) {
        for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
          values.add(String.valueOf(row.get(field)));
        }
      }
    }
    return values;
  }

  public long deadLetters() throws IOException {
    long count = 0;
    for (Path file : finished(lake().resolve("deadletter"), ".json")) {
      try (Stream<String> lines = Files.lines(file)) {
        count += lines.filter(line -> !line.isBlank()).count();
      }
    }
    return count;
  }

  /** The {@code source} of every dead letter (one entry per line, copies included). */
  public List<String> deadLetterSources() throws IOException {
    List<String> sources = new ArrayList<>();
    for (Path file : finished(lake().resolve("deadletter"), ".json")) {
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          sources.add(JSON.readTree(line).get("source").asText());
        }
      }
    }
    return sources;
  }

  /** The events counted by the newest row of every window of {@code view}, summed. */
  public long servedEvents(String view) {
    if (!Files.exists(Path.of(serving()))) {
      return 0;
    }
    try (ServingStore store = ServingStore.open(serving())) {
      return store.readMerged(view).stream().mapToLong(ServingRow::eventCount).sum();
    }
  }

  /** Finished files only: Beam's temporary folders start with a dot. */
  private static List<Path> finished(Path root, String suffix) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.toString().endsWith(suffix))
          .filter(p -> !root.relativize(p).toString().startsWith("."))
          .filter(p -> !root.relativize(p).toString().contains("/."))
          .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
