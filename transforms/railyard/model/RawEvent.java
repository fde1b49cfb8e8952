package railyard.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * An event exactly as it was received: the raw lake record of the architecture.
 *
 * <p>An unbounded source stamps each event with its receipt time. A bounded source leaves its
 * events at the start of time, their receipt time only in {@code receivedAt}: preparation then
 * moves every row forward to its event time, and no row can fall behind a watermark that batch
 * runners are free to advance while the read is still being processed (the Direct runner does, and
 * a row stamped back behind its receipt time by up to the allowed skew then lands in a later window
 * downstream). Whatever counts events by receipt minute stamps them forward itself.
 *
 * @param source where it came from, e.g. {@code kafka:topic/0/42}, {@code mqtt:topic}, {@code http}
 * @param receivedAt epoch milliseconds at which Railyard received it
 * @param payload the bytes as received, never modified
 * @param attributes transport metadata (headers, request attributes)
 */
@DefaultCoder(RawEvent.RawEventCoder.class)
public record RawEvent(String source, long receivedAt, byte[] payload, Map<String, String> attributes)
    implements Serializable {

  public RawEvent {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(payload, "payload");
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawEvent other
        && receivedAt == other.receivedAt
        && source.equals(other.source)
        && Arrays.equals(payload, other.payload)
        && attributes.equals(other.attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, receivedAt, Arrays.hashCode(payload), attributes);
  }

  @Override
  public String toString() {
    return "RawEvent{" + source + " @" + receivedAt + ", " + payload.length + " bytes}";
  }

  /** A compact positional coder: no field names or schema on the wire. */
  public static final class RawEventCoder extends CustomCoder<RawEvent> {
    private static final RawEventCoder INSTANCE = new RawEventCoder();
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<Long> LONG = VarLongCoder.of();
    private static final Coder<byte[]> BYTES = ByteArrayCoder.of();
    private static final Coder<Map<String, String>> MAP = MapCoder.of(STRING, STRING);

    public static RawEventCoder of() {
      return INSTANCE;
    }

    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(RawEvent.class), INSTANCE);
    }

    @Override
    public void encode(RawEvent value, OutputStream out) throws IOException {
      STRING.encode(value.source(), out);
      LONG.encode(value.receivedAt(), out);
      BYTES.encode(value.payload(), out);
      MAP.encode(value.attributes(), out);
    }

    @Override
    public RawEvent decode(InputStream in) throws IOException {
      return new RawEvent(STRING.decode(in), LONG.decode(in), BYTES.decode(in), MAP.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
