package railyard.io.kafka;

import java.util.Comparator;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One landed lake file's place: its hour partition ({@code dt=…/hr=…}) and the topic partition
 * whose records it holds; its name adds the offset range, {@code kafka-<topic>-<partition>-<first>-<last>.avro}.
 */
record LandedFile(String hourPartition, String topic, int partition)
    implements Comparable<LandedFile> {
  static final String PREFIX = "kafka-";
  static final String SUFFIX = ".avro";

  private static final Comparator<LandedFile> ORDER =
      Comparator.comparing(LandedFile::hourPartition)
          .thenComparing(LandedFile::topic)
          .thenComparingInt(LandedFile::partition);

  String fileName(long firstOffset, long lastOffset) {
    return PREFIX + topic + "-" + partition + "-" + firstOffset + "-" + lastOffset + SUFFIX;
  }

  /** A landed file's place and offsets, read back from its name. */
  record Parsed(LandedFile file, long[] range) {}

  /** Reads a name {@link #fileName} made; {@code null} for any other file. */
  static @Nullable Parsed parse(String hourPartition, String fileName) {
    if (!fileName.startsWith(PREFIX) || !fileName.endsWith(SUFFIX)) {
      return null;
    }
    String rest = fileName.substring(PREFIX.length(), fileName.length() - SUFFIX.length());
    // Topic names may hold '-': the last three fields are partition, first and last offset.
    int last = rest.lastIndexOf('-');
    int first = last > 0 ? rest.lastIndexOf('-', last - 1) : -1;
    int partition = first > 0 ? rest.lastIndexOf('-', first - 1) : -1;
    if (partition <= 0) {
      return null;
    }
    try {
      return new Parsed(
          new LandedFile(
              hourPartition,
              rest.substring(0, partition),
              Integer.parseInt(rest.substring(partition + 1, first))),
          new long[] {
            Long.parseLong(rest.substring(first + 1, last)), Long.parseLong(rest.substring(last + 1))
          });
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public int compareTo(LandedFile other) {
    return ORDER.compare(this, other);
  }
}
