package railyard.io.collector;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import railyard.io.files.Partitions;
import railyard.io.lake.LakeRecords;
import railyard.model.RawEvent;

/**
 * Writes events to the raw lake in the layout and Avro format of {@code RawLakeWrite} ({@link
 * LakeRecords#SCHEMA}, snappy blocks), by group commit without a timer: one writer thread takes
 * every request that is waiting when it is free, writes them as one file per hour partition, fsyncs
 * the file, renames it into place, fsyncs the directory, and only then completes their futures.
 * Requests that arrive while a file is being written wait for it to finish and go together into the
 * next one. So a request waits for at most two writes (the one under way and its own; more only
 * when over 32 MiB of payload is waiting, the most one file takes), and the more requests arrive
 * at once, the more each file holds: throughput grows with concurrency instead of being capped at
 * one file per interval per client.
 *
 * <p>Files: at most one per partition per write, so their number is bounded by how fast the disk
 * syncs, not by the request rate; under load each file holds everything that arrived during the
 * previous write (8 clients posting 100-event batches: about 4 requests per file, see
 * docs/benchmarks.md), while a request that arrives alone is written alone. Not one file per
 * request (a file per request would multiply the files by the requests a write can carry), nor one
 * file appended to across commits (lake readers and lake follow read each {@code .avro} file once,
 * so a file must be complete when it appears): a file is never written twice, so the commit, not
 * the request, is the unit that becomes durable. {@code minIntervalMillis} ({@code --flushMillis},
 * default 0) trades the other way: the writer then also waits until that long after it started its
 * previous file, for fewer, larger files at the cost of up to one interval of latency (and, for a
 * client that waits for each answer, one request per interval). Until its rename a file carries a
 * name that does not end in {@code .avro}, so readers never see a partial file.
 */
public final class LakeSink implements EventSink {
  private static final Logger LOG = LoggerFactory.getLogger(LakeSink.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  /** A batch is cut early once it holds this many payload bytes. */
  private static final long MAX_BATCH_BYTES = 32L << 20;

  private record Pending(List<RawEvent> events, CompletableFuture<Void> done) {}

  private final Path rawDirectory;
  private final long minIntervalNanos;
  private final String runId;
  private final AtomicLong fileSequence = new AtomicLong();
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closing;
  private volatile boolean lastWriteFailed;
  private long lastCommitStart = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

  public LakeSink(Path lakeRoot, String pipeline, long minIntervalMillis) {
    this.rawDirectory = Path.of(LakeRecords.rawDirectory(lakeRoot.toString(), pipeline));
    this.minIntervalNanos = TimeUnit.MILLISECONDS.toNanos(minIntervalMillis);
    this.runId =
        "http-" + STAMP.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.writer = new Thread(this::run, "lake-sink-writer");
    writer.start();
  }

  @Override
  public CompletableFuture<Void> write(List<RawEvent> events) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closing) {
      done.completeExceptionally(new IllegalStateException("the lake sink is closed"));
      return done;
    }
    queue.add(new Pending(events, done));
    return done;
  }

  @Override
  public boolean isUp() {
    return !closing && !lastWriteFailed;
  }

  @Override
  public String describe() {
    return "lake " + rawDirectory;
  }

  @Override
  public void close() {
    closing = true;
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (!closing || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first != null) {
          commit(collectBatch(first));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * The next file's requests: {@code first} and every request already waiting, up to {@link
   * #MAX_BATCH_BYTES}; with a minimum interval, also those that arrive before it has passed since
   * the previous file was started.
   */
  private List<Pending> collectBatch(Pending first) throws InterruptedException {
    List<Pending> batch = new ArrayList<>();
    batch.add(first);
    long bytes = payloadBytes(first);
    long deadline = lastCommitStart + minIntervalNanos;
    while (bytes < MAX_BATCH_BYTES) {
      Pending next = queue.poll();
      if (next == null) {
        long wait = deadline - System.nanoTime();
        if (wait <= 0 || closing) {
          break;
        }
        next = queue.poll(wait, TimeUnit.NANOSECONDS);
        if (next == null) {
          break;
        }
      }
      batch.add(next);
      bytes += payloadBytes(next);
    }
    return batch;
  }

  private void commit(List<Pending> batch) {
    lastCommitStart = System.nanoTime();
    try {
      Map<String, List<RawEvent>> byHour = new TreeMap<>();
      long receivedAt = Long.MIN_VALUE;
      List<RawEvent> hour = null;
      for (Pending pending : batch) {
        for (RawEvent event : pending.events()) {
          // The events of a request share one receipt time: format its partition once.
          if (hour == null || event.receivedAt() != receivedAt) {
            receivedAt = event.receivedAt();
            hour = byHour.computeIfAbsent(Partitions.hourly(receivedAt), k -> new ArrayList<>());
          }
          hour.add(event);
        }
      }
      for (Map.Entry<String, List<RawEvent>> partition : byHour.entrySet()) {
        writeFile(rawDirectory.resolve(partition.getKey()), partition.getValue());
      }
      lastWriteFailed = false;
      batch.forEach(pending -> pending.done().complete(null));
    } catch (IOException | RuntimeException e) {
      lastWriteFailed = true;
      LOG.error("lake write failed; {} request(s) refused", batch.size(), e);
      batch.forEach(pending -> pending.done().completeExceptionally(e));
    }
  }

  private void writeFile(Path directory, List<RawEvent> events) throws IOException {
    createDurably(directory);
    String name = String.format("%s-%08d.avro", runId, fileSequence.incrementAndGet());
    Path inProgress = directory.resolve("." + name + ".inprogress");
    try (FileChannel channel =
            FileChannel.open(inProgress, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        OutputStream out = Channels.newOutputStream(channel);
        DataFileWriter<GenericRecord> avro =
            new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(LakeRecords.SCHEMA))) {
      avro.setCodec(CodecFactory.snappyCodec());
      avro.create(LakeRecords.SCHEMA, out);
      for (RawEvent event : events) {
        avro.append(LakeRecords.toAvro(event));
      }
      avro.flush();
      channel.force(true);
    }
    try {
      Files.move(inProgress, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(inProgress, directory.resolve(name));
    }
    fsyncDirectory(directory);
  }

  /** Creates missing directories and fsyncs each one's parent, so the new entries survive a crash. */
  private static void createDurably(Path directory) throws IOException {
    if (directory == null || Files.isDirectory(directory)) {
      return;
    }
    createDurably(directory.getParent());
    Files.createDirectories(directory);
    if (directory.getParent() != null) {
      fsyncDirectory(directory.getParent());
    }
  }

  private static void fsyncDirectory(Path directory) throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  private static long payloadBytes(Pending pending) {
    long bytes = 0;
    for (RawEvent event : pending.events()) {
      bytes += event.payload().length;
    }
    return bytes;
  }
}
