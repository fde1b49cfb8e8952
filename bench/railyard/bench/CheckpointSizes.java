package railyard.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Watches a Flink job's checkpoint folder ({@code --stateBackendStoragePath}) while it runs and
 * keeps the size of the largest completed checkpoint ({@code chk-N}, its metadata and state files):
 * what a job's state costs to write every checkpoint interval. Polled, because a job that ends by
 * itself discards its checkpoints.
 */
final class CheckpointSizes implements AutoCloseable {
  private static final long POLL_MILLIS = 250;

  private final Path folder;
  private final Thread thread;
  private volatile boolean stopped;
  private volatile long largestBytes;
  private volatile int seen;

  private CheckpointSizes(Path folder) {
    this.folder = folder;
    this.thread = new Thread(this::poll, "checkpoint-sizes");
    thread.setDaemon(true);
  }

  static CheckpointSizes watch(Path folder) {
    CheckpointSizes sizes = new CheckpointSizes(folder);
    sizes.thread.start();
    return sizes;
  }

  long largestBytes() {
    return largestBytes;
  }

  /** How many distinct completed checkpoints were seen. */
  int seen() {
    return seen;
  }

  private void poll() {
    java.util.Set<Path> counted = new java.util.HashSet<>();
    while (!stopped) {
      try (Stream<Path> dirs = Files.walk(folder, 2)) {
        for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith("chk-")).toList()) {
          if (Files.exists(dir.resolve("_metadata"))) { // written last: the checkpoint completed
            largestBytes = Math.max(largestBytes, bytesUnder(dir));
            if (counted.add(dir)) {
              seen++;
            }
          }
        }
      } catch (IOException | UncheckedIOException e) {
        // a checkpoint discarded while listed: the next poll sees the next one
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static long bytesUnder(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.interrupt();
    thread.join(5_000);
  }
}
