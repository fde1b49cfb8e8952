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
  private static final String IN_PROGRESS = ".inprogress";

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

  /**
   * Whether appended messages are durable before their file is closed: on a local file system a
   * flushed write survives the process; an object store or HDFS shows a file only once it is
   * closed, so there each append is a file of its own.
   */
  boolean appendable() {
    String scheme = FileSystems.matchNewResource(rawDirectory, true).getScheme();
    return scheme == null || scheme.equals("file");
  }

  /**
   * Opens batch {@code seq} for appending, under a hidden name in the hour partition of {@code
   * receivedAt}: no lake reader lists it until {@link OpenBatch#publish} renames it in place.
   */
  OpenBatch open(long seq, long receivedAt) throws IOException {
    ResourceId dir = hourDirectory(Partitions.hourly(receivedAt));
    String name = PREFIX + clientId + "-" + seq + "-" + UUID.randomUUID().toString().substring(0, 8) + SUFFIX;
    return new OpenBatch(
        seq,
        receivedAt,
        dir.resolve("." + name + IN_PROGRESS, StandardResolveOptions.RESOLVE_FILE),
        dir.resolve(name, StandardResolveOptions.RESOLVE_FILE),
        appendable());
  }

  private static java.nio.file.Path localPath(ResourceId file) throws IOException {
    String path = file.toString();
    java.nio.file.Path local =
        path.startsWith("file:") ? java.nio.file.Path.of(java.net.URI.create(path)) : java.nio.file.Path.of(path);
    java.nio.file.Files.createDirectories(local.getParent());
    return local;
  }

  /**
   * A batch being landed: messages are appended (and flushed) as they arrive, and acknowledged
   * then; the file is renamed to its lake name when the batch is published.
   */
  static final class OpenBatch implements AutoCloseable {
    final long seq;
    final long receivedAt;
    private final ResourceId inProgress;
    private final ResourceId target;
    private final OutputStream out;
    private final DataFileWriter<GenericRecord> writer;
    private final List<RawEvent> events = new ArrayList<>();

    private OpenBatch(
        long seq, long receivedAt, ResourceId inProgress, ResourceId target, boolean appendable)
        throws IOException {
      this.seq = seq;
      this.receivedAt = receivedAt;
      this.inProgress = inProgress;
      this.target = target;
      // On a local lake, straight to the file: a flush is then a write to the operating system
      // (a channel from FileSystems.create may buffer beyond what a flush reaches).
      this.out =
          appendable
              ? java.nio.file.Files.newOutputStream(localPath(inProgress))
              : Channels.newOutputStream(FileSystems.create(inProgress, MimeTypes.BINARY));
      this.writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(LakeRecords.SCHEMA));
      writer.setCodec(CodecFactory.snappyCodec());
      writer.create(LakeRecords.SCHEMA, out);
    }

    /** Appends {@code batch} and flushes it to the file system: durable once this returns. */
    void append(List<RawEvent> batch) throws IOException {
      for (RawEvent event : batch) {
        writer.append(LakeRecords.toAvro(event));
      }
      writer.flush();
      events.addAll(batch);
    }

    List<RawEvent> events() {
      return events;
    }

    /** Closes the file and renames it to its lake name. */
    BatchFile publish() throws IOException {
      writer.close();
      FileSystems.rename(List.of(inProgress), List.of(target));
      return new BatchFile(seq, target.toString(), receivedAt);
    }

    /** Closes the file without publishing it: the next start publishes what it holds. */
    @Override
    public void close() throws IOException {
      writer.close();
    }
  }

  /**
   * Publishes the batches a stopped or killed client left open in the hour partitions from the
   * hour before {@code sinceMillis} on: every message in them was acknowledged once flushed, so
   * the broker will not send them again. A block cut short by the kill holds messages never
   * acknowledged (the broker sends them again); it is left out. Returns how many messages.
   */
  long publishLeftOpen(long sinceMillis) throws IOException {
    long messages = 0;
    for (MatchResult.Metadata file : listOwn(sinceMillis, "." + PREFIX + clientId + "-*" + SUFFIX + IN_PROGRESS)) {
      ResourceId inProgress = file.resourceId();
      String name = inProgress.getFilename();
      String lakeName = name.substring(1, name.length() - IN_PROGRESS.length());
      if (seqOf(lakeName) == null) {
        continue;
      }
      List<RawEvent> events = readWhole(inProgress.toString());
      if (!events.isEmpty()) {
        ResourceId target = inProgress.getCurrentDirectory().resolve(lakeName, StandardResolveOptions.RESOLVE_FILE);
        ResourceId rewritten =
            inProgress.getCurrentDirectory().resolve("." + lakeName + ".tmp", StandardResolveOptions.RESOLVE_FILE);
        try (OutputStream out = Channels.newOutputStream(FileSystems.create(rewritten, MimeTypes.BINARY));
            DataFileWriter<GenericRecord> writer =
                new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(LakeRecords.SCHEMA))) {
          writer.setCodec(CodecFactory.snappyCodec());
          writer.create(LakeRecords.SCHEMA, out);
          for (RawEvent event : events) {
            writer.append(LakeRecords.toAvro(event));
          }
        }
        FileSystems.rename(List.of(rewritten), List.of(target));
        messages += events.size();
      }
      FileSystems.delete(List.of(inProgress));
    }
    return messages;
  }

  /** The records of the whole blocks of a file whose end may have been cut short. */
  private static List<RawEvent> readWhole(String path) throws IOException {
    List<RawEvent> events = new ArrayList<>();
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(path, false)))) {
      DataFileStream<GenericRecord> records;
      try {
        records = new DataFileStream<>(in, new GenericDatumReader<>(LakeRecords.SCHEMA));
      } catch (IOException headerCutShort) {
        return events;
      }
      // A block is read whole, with its sync marker, before any of its records is returned: the
      // records of a block cut short never are.
      try {
        while (records.hasNext()) {
          events.add(LakeRecords.fromAvro(records.next()));
        }
      } catch (RuntimeException cutShort) {
        // The block being written when the process died: its messages were never acknowledged.
      }
    }
    return events;
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
    for (MatchResult.Metadata file : listOwn(sinceMillis, PREFIX + clientId + "-*" + SUFFIX)) {
      Long seq = seqOf(file.resourceId().getFilename());
      if (seq != null) {
        String path = file.resourceId().toString();
        // The hour's start: no message of the file was received before it.
        files.add(new BatchFile(seq, path, Partitions.hourStart(path).orElse(sinceMillis - Partitions.HOUR_MILLIS)));
      }
    }
    files.sort(java.util.Comparator.comparingLong(BatchFile::seq));
    return files;
  }

  /** Files named {@code glob} in the hour partitions from the hour before {@code sinceMillis} on. */
  private List<MatchResult.Metadata> listOwn(long sinceMillis, String glob) throws IOException {
    List<MatchResult.Metadata> files = new ArrayList<>();
    long last = System.currentTimeMillis() + Partitions.HOUR_MILLIS;
    for (long hour = sinceMillis - Partitions.HOUR_MILLIS; hour <= last; hour += Partitions.HOUR_MILLIS) {
      MatchResult match = FileSystems.match(hourDirectory(Partitions.hourly(hour)) + glob, EmptyMatchTreatment.ALLOW);
      if (match.status() == MatchResult.Status.OK) {
        files.addAll(match.metadata());
      }
    }
    return files;
  }

  /** The number in a lake name {@link #open} made for this client, else null. */
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
