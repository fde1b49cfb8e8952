package railyard.io.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.checkerframework.checker.nullness.qual.Nullable;
import railyard.io.files.Partitions;
import railyard.io.lake.LakeRecords;
import railyard.model.RawEvent;

/**
 * One MQTT client's files in the raw lake: each landed batch is one Avro file (all its messages
 * share one receipt time, so one hour partition), {@code dt=…/hr=…/mqtt-<client>-<seq>-<unique>.avro},
 * numbered in landing order; and a small state file, {@code _mqtt/<client>.state} (outside the
 * {@code dt=} layout, so no lake reader takes it), saying which batch the job's last finalized
 * checkpoint had passed on.
 */
final class MqttLakeFiles {
  private static final String PREFIX = "mqtt-";
  private static final String SUFFIX = ".avro";

  private final String rawDirectory;
  private final String clientId;

  MqttLakeFiles(String rawDirectory, String clientId) {
    this.rawDirectory = rawDirectory;
    this.clientId = clientId;
  }

  String rawDirectory() {
    return rawDirectory;
  }

  /** A landed batch's file: its number and path, and its receipt time. */
  record BatchFile(long seq, String path, long receivedAt) {}

  /** Writes {@code events} (one receipt time) whole under a hidden name, then renames it in place. */
  BatchFile write(long seq, long receivedAt, List<RawEvent> events) throws IOException {
    ResourceId dir = hourDirectory(Partitions.hourly(receivedAt));
    String name = PREFIX + clientId + "-" + seq + "-" + UUID.randomUUID().toString().substring(0, 8) + SUFFIX;
    ResourceId target = dir.resolve(name, StandardResolveOptions.RESOLVE_FILE);
    ResourceId temporary = dir.resolve("." + name + ".tmp", StandardResolveOptions.RESOLVE_FILE);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(temporary, MimeTypes.BINARY));
        DataFileWriter<GenericRecord> writer =
            new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(LakeRecords.SCHEMA))) {
      writer.setCodec(CodecFactory.snappyCodec());
      writer.create(LakeRecords.SCHEMA, out);
      for (RawEvent event : events) {
        writer.append(LakeRecords.toAvro(event));
      }
    }
    FileSystems.rename(List.of(temporary), List.of(target));
    return new BatchFile(seq, target.toString(), receivedAt);
  }

  /** The events of a landed batch, in the order they were landed. */
  static List<RawEvent> read(String path) throws IOException {
    List<RawEvent> events = new ArrayList<>();
    try (InputStream in =
            Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(path, false)));
        DataFileStream<GenericRecord> records =
            new DataFileStream<>(in, new GenericDatumReader<>(LakeRecords.SCHEMA))) {
      for (GenericRecord record : records) {
        events.add(LakeRecords.fromAvro(record));
      }
    }
    return events;
  }

  /**
   * This client's batches received from the hour before {@code sinceMillis} up to the hour after
   * now, ordered by number (receipt times grow with the numbers, so none older is missed).
   */
  List<BatchFile> listSince(long sinceMillis) throws IOException {
    List<BatchFile> files = new ArrayList<>();
    long last = System.currentTimeMillis() + Partitions.HOUR_MILLIS;
    for (long hour = sinceMillis - Partitions.HOUR_MILLIS; hour <= last; hour += Partitions.HOUR_MILLIS) {
      String pattern = hourDirectory(Partitions.hourly(hour)) + PREFIX + clientId + "-*" + SUFFIX;
      MatchResult match = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
      if (match.status() != MatchResult.Status.OK) {
        continue;
      }
      for (MatchResult.Metadata file : match.metadata()) {
        Long seq = seqOf(file.resourceId().getFilename());
        if (seq != null) {
          files.add(new BatchFile(seq, file.resourceId().toString(), hour));
        }
      }
    }
    files.sort(java.util.Comparator.comparingLong(BatchFile::seq));
    return files;
  }

  /** The number in a name {@link #write} made for this client, else null. */
  @Nullable Long seqOf(String fileName) {
    String start = PREFIX + clientId + "-";
    if (!fileName.startsWith(start) || !fileName.endsWith(SUFFIX)) {
      return null;
    }
    String[] rest = fileName.substring(start.length(), fileName.length() - SUFFIX.length()).split("-");
    if (rest.length != 2 || !rest[0].matches("[0-9]{1,18}")) {
      return null; // another client whose id starts with this one and a '-'
    }
    return Long.parseLong(rest[0]);
  }

  /** What the state file holds: the first batch not yet passed on, how much of it was, and since when. */
  record State(long seq, int emitted, long sinceMillis, List<String> topics) {}

  @Nullable State readState() throws IOException {
    ResourceId file = stateFile();
    MatchResult match = FileSystems.match(file.toString(), EmptyMatchTreatment.ALLOW);
    if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
      return null;
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      List<String> topics = new ArrayList<>();
      for (int i = 3; i < lines.length; i++) {
        topics.add(lines[i]);
      }
      return new State(
          Long.parseLong(lines[0]), Integer.parseInt(lines[1]), Long.parseLong(lines[2]), topics);
    }
  }

  void writeState(State state) throws IOException {
    ResourceId target = stateFile();
    ResourceId temporary =
        target.getCurrentDirectory()
            .resolve("." + target.getFilename() + "." + UUID.randomUUID() + ".tmp", StandardResolveOptions.RESOLVE_FILE);
    StringBuilder text =
        new StringBuilder()
            .append(state.seq()).append('\n')
            .append(state.emitted()).append('\n')
            .append(state.sinceMillis());
    state.topics().forEach(topic -> text.append('\n').append(topic));
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(temporary, MimeTypes.TEXT))) {
      out.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }
    FileSystems.rename(List.of(temporary), List.of(target));
  }

  private ResourceId stateFile() {
    return FileSystems.matchNewResource(rawDirectory, true)
        .resolve("_mqtt", StandardResolveOptions.RESOLVE_DIRECTORY)
        .resolve(clientId + ".state", StandardResolveOptions.RESOLVE_FILE);
  }

  private ResourceId hourDirectory(String hourPartition) {
    ResourceId dir = FileSystems.matchNewResource(rawDirectory, true);
    for (String segment : hourPartition.split("/")) {
      dir = dir.resolve(segment, StandardResolveOptions.RESOLVE_DIRECTORY);
    }
    return dir;
  }
}
