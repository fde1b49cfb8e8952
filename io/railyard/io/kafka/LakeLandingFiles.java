package railyard.io.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.List;
import java.util.SortedMap;
import java.util.UUID;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import railyard.io.lake.LakeRecords;
import railyard.model.RawEvent;

/** Writes one landed file whole under a hidden temporary name, then renames it into place. */
final class LakeLandingFiles {
  private LakeLandingFiles() {}

  /** The hour partition's directory, ending in a separator. */
  static String directory(String rawDirectory, String hourPartition) {
    return hourDirectory(rawDirectory, hourPartition).toString();
  }

  /** Lands {@code byOffset} (one topic partition, ascending offsets); returns the file's path. */
  static String write(String rawDirectory, LandedFile file, SortedMap<Long, RawEvent> byOffset)
      throws IOException {
    ResourceId dir = hourDirectory(rawDirectory, file.hourPartition());
    ResourceId target =
        dir.resolve(
            file.fileName(byOffset.firstKey(), byOffset.lastKey()), StandardResolveOptions.RESOLVE_FILE);
    // Hidden and not ending in .avro, so no lake reader or listing ever takes it for a lake file.
    ResourceId temporary =
        dir.resolve("." + target.getFilename() + "." + UUID.randomUUID() + ".tmp", StandardResolveOptions.RESOLVE_FILE);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(temporary, MimeTypes.BINARY));
        DataFileWriter<GenericRecord> writer =
            new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(LakeRecords.SCHEMA))) {
      writer.setCodec(CodecFactory.snappyCodec());
      writer.create(LakeRecords.SCHEMA, out);
      for (RawEvent event : byOffset.values()) {
        writer.append(LakeRecords.toAvro(event));
      }
    }
    FileSystems.rename(List.of(temporary), List.of(target));
    return target.toString();
  }

  private static ResourceId hourDirectory(String rawDirectory, String hourPartition) {
    ResourceId dir = FileSystems.matchNewResource(rawDirectory, true);
    for (String segment : hourPartition.split("/")) {
      dir = dir.resolve(segment, StandardResolveOptions.RESOLVE_DIRECTORY);
    }
    return dir;
  }
}
