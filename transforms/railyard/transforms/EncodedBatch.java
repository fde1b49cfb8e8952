package railyard.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.KV;
import org.apache.commons.io.input.UnsynchronizedByteArrayInputStream;
import org.apache.commons.io.output.UnsynchronizedByteArrayOutputStream;

/**
 * The bytes a batch of {@link CombineInBuckets} travels as: each element with its time, encoded
 * once when it joins the batch and decoded once where its bucket is folded. Between the two a
 * runner copies the batch as one byte array, where a batch of objects would be decoded and encoded
 * again at every hand-over: Flink's batch runner encodes a record into the shuffle, decodes it,
 * encodes it into its sort buffer and decodes it again.
 *
 * <p>The layout (none at all for an empty batch): the time of the batch's first element, then each
 * element as its time's distance from that one (both zigzag varints) and its {@code KV} encoding.
 * Apache Commons IO's unsynchronized streams keep the many one-byte writes and reads of varints
 * cheap.
 */
final class EncodedBatch<K, V> implements Serializable {
  private final KvCoder<K, V> coder;

  EncodedBatch(KvCoder<K, V> coder) {
    this.coder = coder;
  }

  Coder<K> keyCoder() {
    return coder.getKeyCoder();
  }

  /** Receives each element of a batch with its time, in the order they joined. */
  interface Visitor<K, V> {
    void accept(KV<K, V> element, long at);
  }

  /** A batch being filled: elements join it encoded, so it holds bytes, not objects. */
  final class Writer {
    private final UnsynchronizedByteArrayOutputStream bytes =
        UnsynchronizedByteArrayOutputStream.builder().get();
    private long first;
    private long earliest;

    void add(KV<K, V> element, long at) {
      try {
        if (isEmpty()) {
          first = at;
          earliest = at;
          writeZigZag(at, bytes);
        } else {
          earliest = Math.min(earliest, at);
        }
        writeZigZag(at - first, bytes);
        coder.encode(element, bytes);
      } catch (IOException e) {
        throw new UncheckedIOException("Could not encode an element of a batch", e);
      }
    }

    boolean isEmpty() {
      return bytes.size() == 0;
    }

    long earliest() {
      return earliest;
    }

    /** The batch's bytes; the writer starts an empty batch. */
    byte[] finish() {
      byte[] batch = bytes.toByteArray();
      bytes.reset();
      return batch;
    }
  }

  Writer newWriter() {
    return new Writer();
  }

  /** Calls {@code visitor} with each element of {@code batch} and its time. */
  void forEach(byte[] batch, Visitor<K, V> visitor) {
    if (batch.length == 0) {
      return;
    }
    try (InputStream in = UnsynchronizedByteArrayInputStream.builder().setByteArray(batch).get()) {
      long first = readZigZag(in);
      while (in.available() > 0) {
        long at = first + readZigZag(in);
        visitor.accept(coder.decode(in), at);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not decode a batch of " + batch.length + " bytes", e);
    }
  }

  private static void writeZigZag(long value, OutputStream out) throws IOException {
    VarInt.encode((value << 1) ^ (value >> 63), out);
  }

  private static long readZigZag(InputStream in) throws IOException {
    long zigZag = VarInt.decodeLong(in);
    return (zigZag >>> 1) ^ -(zigZag & 1);
  }
}
