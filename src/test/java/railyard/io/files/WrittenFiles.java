package railyard.io.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Test helper: what a write left on the local disk. */
public final class WrittenFiles {
  private WrittenFiles() {}

  /** Every regular file under {@code root}, as paths relative to it with {@code /}, sorted. */
  public static List<String> under(Path root) {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .map(file -> root.relativize(file).toString().replace('\\', '/'))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The partition directory of a relative file path: everything before the last {@code /}. */
  public static String partitionOf(String relativeFile) {
    return relativeFile.substring(0, relativeFile.lastIndexOf('/'));
  }

  /** The distinct partition directories of the files under {@code root}, sorted. */
  public static List<String> partitionsUnder(Path root) {
    return under(root).stream().map(WrittenFiles::partitionOf).distinct().collect(Collectors.toList());
  }
}
