package railyard.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** Counts what a run left in its lake, dead-letter and warehouse folders, reading the files. */
final class OutputFiles {
  private OutputFiles() {}

  static long avroRecords(Path root) throws IOException {
    long count = 0;
    for (Path file : files(root, ".avro")) {
      try (DataFileReader<GenericRecord> reader =
          new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
        while (reader.hasNext()) {
          reader.next();
          count++;
        }
      }
    }
    return count;
  }

  /** The finished Avro files under {@code root}, sorted. */
  static List<Path> avroFiles(Path root) throws IOException {
    return files(root, ".avro").stream().sorted().toList();
  }

  static long parquetRows(Path root) throws IOException {
    return parquetRowsByFile(root).values().stream().mapToLong(Long::longValue).sum();
  }

  /** Rows of each finished Parquet file under {@code root}, by its path relative to the root. */
  static Map<String, Long> parquetRowsByFile(Path root) throws IOException {
    Map<String, Long> rows = new TreeMap<>();
    for (Path file : files(root, ".parquet")) {
      long count = 0;
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(
                      new org.apache.hadoop.fs.Path(file.toString()), new Configuration()))
              .build()) {
        while (reader.read() != null) {
          count++;
        }
      }
      rows.put(root.relativize(file).toString(), count);
    }
    return rows;
  }

  static long jsonLines(Path root) throws IOException {
    long count = 0;
    for (Path file : files(root, ".json")) {
      try (Stream<String> lines = Files.lines(file)) {
        count += lines.filter(line -> !line.isBlank()).count();
      }
    }
    return count;
  }

  /** Finished files only: Beam's temporary folders start with a dot. */
  private static List<Path> files(Path root, String suffix) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.toString().endsWith(suffix))
          .filter(p -> !root.relativize(p).toString().contains("/."))
          .filter(p -> !root.relativize(p).toString().startsWith("."))
          .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
