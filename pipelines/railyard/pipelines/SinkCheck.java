package railyard.pipelines;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.MimeTypes;
import railyard.io.bigquery.BigQueryLocation;
import railyard.io.files.Partitions;
import railyard.io.lake.LakeRecords;
import railyard.io.serving.ServingStore;
import railyard.spec.PipelineSpec;
import railyard.spec.SourceSpec;

/**
 * Checks, before the job reads its first event, that every sink it will write can be written: the
 * raw lake, the dead letters and the warehouse folders, and the serving store (which must accept a
 * connection). A job that would fail at its last step after writing the lake and the dead letters
 * fails at launch instead, with one line naming the sink and why, and writes nothing.
 *
 * <p>A local folder that does not exist yet counts as writable where its nearest existing parent is
 * a writable folder; nothing is created to find out. On other file systems (gs://, s3://) a hidden
 * probe file is written and deleted.
 */
final class SinkCheck {
  private SinkCheck() {}

  /** A folder the job writes, and what it holds, for the message. */
  private record Folder(String holds, String location) {}

  /** Throws {@link IllegalArgumentException} with one line if a sink cannot be written. */
  static void check(PipelineSpec spec, SourceSpec.Kind source, PipelineOptions options) {
    FileSystems.setDefaultPipelineOptions(options);
    String lake = spec.outputs().lake();
    List<Folder> folders = new ArrayList<>();
    if (source != SourceSpec.Kind.LAKE) {
      folders.add(new Folder("raw lake", LakeRecords.rawDirectory(lake, spec.name())));
    }
    folders.add(new Folder("dead letters", Partitions.join(lake, "deadletter", spec.name())));
    String warehouse = spec.outputs().warehouse();
    if (!BigQueryLocation.isBigQuery(warehouse)) {
      folders.add(new Folder("warehouse", Partitions.join(warehouse, spec.schema().table())));
    }
    for (Folder folder : folders) {
      String problem = writable(folder.location());
      if (problem != null) {
        throw new IllegalArgumentException(
            "cannot write the " + folder.holds() + " at " + folder.location() + ": " + problem);
      }
    }
    String serving = spec.outputs().serving();
    if (!BigQueryLocation.isBigQuery(serving)) {
      try (ServingStore store = ServingStore.open(serving, Set.of())) {
        store.views();
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "cannot use the serving store " + redacted(serving) + ": " + rootMessage(e));
      }
    }
  }

  /** Why {@code folder} cannot be written, or {@code null} if it can. */
  private static String writable(String folder) {
    if (isLocal(folder)) {
      Path path = Path.of(folder.startsWith("file:") ? folder.substring("file:".length()) : folder)
          .toAbsolutePath();
      Path existing = path;
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      if (existing == null || !Files.isDirectory(existing)) {
        return (existing == null ? path : existing) + " is not a folder";
      }
      return Files.isWritable(existing) ? null : existing + " is not writable";
    }
    try {
      ResourceId probe =
          FileSystems.matchNewResource(
              Partitions.join(folder, ".railyard-write-check-" + UUID.randomUUID()), false);
      try (WritableByteChannel channel = FileSystems.create(probe, MimeTypes.BINARY)) {
        // An empty file is enough.
      }
      FileSystems.delete(List.of(probe), StandardMoveOptions.IGNORE_MISSING_FILES);
      return null;
    } catch (IOException | RuntimeException e) {
      return rootMessage(e);
    }
  }

  private static boolean isLocal(String location) {
    int scheme = location.indexOf("://");
    return scheme < 0 || location.startsWith("file:");
  }

  /** The innermost cause's message: what the database or file system said. */
  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  /** The location without its query string, which may carry a password. */
  private static String redacted(String location) {
    int query = location.indexOf('?');
    return query < 0 ? location : location.substring(0, query) + "?…";
  }
}
