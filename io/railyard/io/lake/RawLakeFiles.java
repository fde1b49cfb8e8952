package railyard.io.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import railyard.io.files.Partitions;

/**
 * The raw lake's Avro files on a local disk whose {@code dt=…/hr=…} partition overlaps a receipt
 * time range {@code [from, to)}: only the range's day directories are listed and only its hours
 * are entered, so files of other partitions are never touched. Hidden files (a write still in
 * progress is a dot-file until it is renamed into place) are left out.
 */
public final class RawLakeFiles {
  private RawLakeFiles() {}

  /** The files of {@code pipeline}'s raw lake under {@code lakeRoot} for {@code [from, to)}, sorted. */
  public static List<Path> overlapping(Path lakeRoot, String pipeline, long fromMillis, long toMillis) {
    Path raw = Path.of(LakeRecords.rawDirectory(lakeRoot.toString(), pipeline));
    List<Path> files = new ArrayList<>();
    for (String day : Partitions.daysOverlapping(fromMillis, toMillis)) {
      Path dayDirectory = raw.resolve(day);
      if (!Files.isDirectory(dayDirectory)) {
        continue;
      }
      for (Path hour : list(dayDirectory)) {
        String partition = day + "/" + hour.getFileName();
        if (Files.isDirectory(hour) && Partitions.hourOverlaps(partition, fromMillis, toMillis)) {
          list(hour).stream().filter(RawLakeFiles::isAvro).forEach(files::add);
        }
      }
    }
    return files;
  }

  private static boolean isAvro(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".avro") && !name.startsWith(".") && Files.isRegularFile(file);
  }

  private static List<Path> list(Path directory) {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
  }
}
