package railyard.io.files;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/**
 * Names a file {@code <directory>/<partition>/<runId>-<window>-p<pane>-<shard>-of-<shards><suffix>}.
 *
 * <p>The run id is fresh for every application of a write, and window, pane and shard tell apart
 * the files of one run, so no file is ever named twice: a write never replaces an earlier file.
 * Paths are resolved through {@link FileSystems} when a file is named, on the worker, so any
 * registered file system works. Names avoid {@code :}, which HDFS and Windows reject.
 */
final class UniqueFileNaming implements FileIO.Write.FileNaming {
  private static final DateTimeFormatter WINDOW_BOUND =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final String directory;
  private final String partition;
  private final String runId;
  private final String suffix;

  UniqueFileNaming(String directory, String partition, String runId, String suffix) {
    this.directory = directory;
    this.partition = partition;
    this.runId = runId;
    this.suffix = suffix;
  }

  @Override
  public String getFilename(
      BoundedWindow window, PaneInfo pane, int numShards, int shardIndex, Compression compression) {
    String name =
        String.format(
            "%s-%s-p%d-%05d-of-%05d%s",
            runId, windowLabel(window), pane.getIndex(), shardIndex, numShards, suffix);
    return resolve(directory, partition, name).toString();
  }

  /** {@code <directory>/<partition>/<name>}, on whatever file system {@code directory} is on. */
  static ResourceId resolve(String directory, String partition, String name) {
    ResourceId dir = FileSystems.matchNewResource(directory, true);
    for (String segment : partition.split("/")) {
      if (!segment.isEmpty()) {
        dir = dir.resolve(segment, StandardResolveOptions.RESOLVE_DIRECTORY);
      }
    }
    return dir.resolve(name, StandardResolveOptions.RESOLVE_FILE);
  }

  static String windowLabel(BoundedWindow window) {
    if (window instanceof IntervalWindow interval) {
      return bound(interval.start().getMillis()) + "-" + bound(interval.end().getMillis());
    }
    return "global";
  }

  private static String bound(long epochMillis) {
    return WINDOW_BOUND.format(Instant.ofEpochMilli(epochMillis));
  }
}
