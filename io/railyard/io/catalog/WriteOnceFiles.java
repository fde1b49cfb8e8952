package railyard.io.catalog;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Creates a file whole or not at all, and never over another: the content goes to a hidden
 * temporary file that is then hard-linked under its name, which fails if the name exists. So
 * concurrent writers of the catalog never see a half-written entry nor replace each other's.
 */
final class WriteOnceFiles {
  private WriteOnceFiles() {}

  /** Writes {@code target}; false if it already existed (it is left as it was). */
  static boolean create(Path target, byte[] content) throws IOException {
    Files.createDirectories(target.getParent());
    Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    Files.write(temp, content);
    try {
      Files.createLink(target, temp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException e) {
      try {
        Files.move(temp, target); // no hard links here: a non-replacing rename
        return true;
      } catch (FileAlreadyExistsException exists) {
        return false;
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
