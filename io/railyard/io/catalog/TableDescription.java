package railyard.io.catalog;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * What the catalog says of one table: its schema versions, its partitions with their files and
 * rows, and the newest event time in it.
 *
 * @param directory where its {@code dt=} partitions are
 */
public record TableDescription(
    String table,
    Path directory,
    List<SchemaVersion> versions,
    List<Partition> partitions,
    @Nullable Long newestEventTime) {

  /** One {@code dt=} partition: its files and rows. */
  public record Partition(String name, int files, long rows, long bytes) {}

  static TableDescription of(
      String table, Path directory, List<SchemaVersion> versions, List<FileEntry> files) {
    Map<String, Partition> partitions = new TreeMap<>();
    Long newest = null;
    for (FileEntry file : files) {
      partitions.merge(
          file.partition(),
          new Partition(file.partition(), 1, file.rows(), file.bytes()),
          (a, b) -> new Partition(a.name(), a.files() + b.files(), a.rows() + b.rows(), a.bytes() + b.bytes()));
      if (file.maxEventTime() != null && (newest == null || file.maxEventTime() > newest)) {
        newest = file.maxEventTime();
      }
    }
    return new TableDescription(
        table, directory, versions, List.copyOf(partitions.values()), newest);
  }

  public SchemaVersion current() {
    return versions.get(versions.size() - 1);
  }

  public long rows() {
    return partitions.stream().mapToLong(Partition::rows).sum();
  }

  public int files() {
    return partitions.stream().mapToInt(Partition::files).sum();
  }
}
