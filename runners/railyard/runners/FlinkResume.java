package railyard.runners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;

/**
 * Restores a streaming job on Flink from a retained checkpoint: {@code --resumeFrom} names a
 * checkpoint storage folder (the newest completed {@code chk-N} under it is taken), or one
 * checkpoint or savepoint (a folder holding {@code _metadata}).
 */
final class FlinkResume {
  static final String METADATA = "_metadata";

  private FlinkResume() {}

  static void apply(FlinkPipelineOptions flink, String resumeFrom, boolean streaming, boolean inProcess) {
    if (!streaming) {
      throw new IllegalArgumentException(
          "--resumeFrom restores a streaming job; a batch run has no checkpoint to resume from");
    }
    Path checkpoint = newestCheckpoint(localPath(resumeFrom));
    String uri = checkpoint.toUri().toString();
    if (inProcess) {
      // Beam's runner passes --savepointPath to remote clusters only; an in-process Flink reads
      // the restore path from its configuration folder.
      flink.setFlinkConfDir(confDirRestoring(uri, flink.getFlinkConfDir()).toString());
    } else {
      flink.setSavepointPath(uri);
    }
  }

  /**
   * The checkpoint to restore: {@code folder} itself if it holds {@code _metadata}, else the
   * completed {@code chk-N} with the highest N under it.
   */
  static Path newestCheckpoint(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("--resumeFrom=" + folder + ": no such folder");
    }
    if (Files.exists(folder.resolve(METADATA))) {
      return folder;
    }
    return newestCompleted(folder)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--resumeFrom="
                        + folder
                        + ": no completed checkpoint (chk-N/_metadata) under it; was the stopped run"
                        + " started with --stateBackendStoragePath pointing there?"));
  }

  /**
   * The line a streaming run on Flink prints when it starts afresh, without {@code --resumeFrom},
   * while its own checkpoint folder ({@code --stateBackendStoragePath}, given on the command line)
   * keeps a completed checkpoint of an earlier run: what a fresh start leaves behind, and the flag
   * that would resume instead. Empty when there is nothing to say, or the folder is not a local one.
   */
  static Optional<String> freshStartNotice(FlinkPipelineOptions flink, String resumeFrom) {
    String storage = flink.getStateBackendStoragePath();
    if ((resumeFrom != null && !resumeFrom.isEmpty()) || storage == null || storage.isEmpty()) {
      return Optional.empty();
    }
    Path folder;
    try {
      folder = localPath(storage);
    } catch (IllegalArgumentException notLocal) {
      return Optional.empty();
    }
    if (!Files.isDirectory(folder)) {
      return Optional.empty();
    }
    return newestCompleted(folder)
        .map(
            checkpoint ->
                "railyard: starting afresh although "
                    + checkpoint
                    + " holds a retained checkpoint of an earlier run: its open windows' warehouse"
                    + " rows, view panes and dead letters, and its deduplication, are not carried"
                    + " over; to resume from it instead, start with --resumeFrom="
                    + folder);
  }

  /** The completed {@code chk-N} with the highest N under {@code folder} (or in its job folders). */
  private static Optional<Path> newestCompleted(Path folder) {
    try (Stream<Path> walk = Files.walk(folder, 3)) {
      return walk.filter(p -> p.getFileName().toString().matches("chk-\\d+"))
          .filter(p -> Files.exists(p.resolve(METADATA)))
          .max(Comparator.comparingLong(FlinkResume::number));
    } catch (IOException e) {
      throw new UncheckedIOException(folder + ": cannot list the checkpoints in it", e);
    }
  }

  private static long number(Path checkpoint) {
    return Long.parseLong(checkpoint.getFileName().toString().substring("chk-".length()));
  }

  private static Path localPath(String resumeFrom) {
    if (resumeFrom.startsWith("file:")) {
      return Path.of(URI.create(resumeFrom));
    }
    if (resumeFrom.matches("^[a-z][a-z0-9+.-]*://.*")) {
      throw new IllegalArgumentException(
          "--resumeFrom=" + resumeFrom + ": only a local folder or file: URI can be searched here;"
              + " on a cluster give Flink's own --savepointPath instead");
    }
    return Path.of(resumeFrom);
  }

  /** A Flink configuration folder: the given one's settings, plus where to restore from. */
  private static Path confDirRestoring(String checkpointUri, String givenConfDir) {
    try {
      Path dir = Files.createTempDirectory("railyard-flink-resume");
      StringBuilder conf = new StringBuilder();
      if (givenConfDir != null && !givenConfDir.isEmpty()) {
        Path given = Path.of(givenConfDir, "flink-conf.yaml");
        if (Files.exists(given)) {
          conf.append(Files.readString(given)).append('\n');
        }
      }
      conf.append("execution.savepoint.path: ").append(checkpointUri).append('\n');
      Files.writeString(dir.resolve("flink-conf.yaml"), conf);
      dir.toFile().deleteOnExit();
      dir.resolve("flink-conf.yaml").toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a Flink configuration to resume from", e);
    }
  }
}
