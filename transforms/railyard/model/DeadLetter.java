package railyard.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * A record some stage rejected, with why and the original bytes, so that nothing is lost.
 *
 * @param stage the stage that rejected it
 * @param reason a stable, machine-readable code such as {@code malformed_json}
 * @param message what a human needs to fix it
 * @param payload the original bytes, exactly as received
 */
@DefaultCoder(DeadLetter.DeadLetterCoder.class)
public record DeadLetter(
    Stage stage,
    String reason,
    String message,
    byte[] payload,
    String source,
    long receivedAt,
    long failedAt)
    implements Serializable {

  /** Where in the flow a record was rejected. */
  public enum Stage {
    PARSE,
    VALIDATE,
    TRANSFORM,
    SINK;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public DeadLetter {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(payload, "payload");
    message = message == null ? "" : message;
    source = source == null ? "" : source;
  }

  /** A dead letter for {@code event}, failed now. */
  public static DeadLetter of(Stage stage, String reason, String message, RawEvent event) {
    return new DeadLetter(
        stage,
        reason,
        message,
        event.payload(),
        event.source(),
        event.receivedAt(),
        System.currentTimeMillis());
  }

  /** The payload as text where it is valid UTF-8, for people reading dead letters. */
  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeadLetter other
        && stage == other.stage
        && reason.equals(other.reason)
        && message.equals(other.message)
        && Arrays.equals(payload, other.payload)
        && source.equals(other.source)
        && receivedAt == other.receivedAt
        && failedAt == other.failedAt;
  }

  @Override
  public int hashCode() {
    return Objects.hash(stage, reason, Arrays.hashCode(payload), source, receivedAt);
  }

  @Override
  public String toString() {
    return "DeadLetter{" + stage.label() + "/" + reason + ": " + message + "}";
  }

  /** A compact positional coder. */
  public static final class DeadLetterCoder extends CustomCoder<DeadLetter> {
    private static final DeadLetterCoder INSTANCE = new DeadLetterCoder();
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<Long> LONG = VarLongCoder.of();
    private static final Coder<byte[]> BYTES = ByteArrayCoder.of();

    public static DeadLetterCoder of() {
      return INSTANCE;
    }

    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(DeadLetter.class), INSTANCE);
    }

    @Override
    public void encode(DeadLetter value, OutputStream out) throws IOException {
      STRING.encode(value.stage().name(), out);
      STRING.encode(value.reason(), out);
      STRING.encode(value.message(), out);
      BYTES.encode(value.payload(), out);
      STRING.encode(value.source(), out);
      LONG.encode(value.receivedAt(), out);
      LONG.encode(value.failedAt(), out);
    }

    @Override
    public DeadLetter decode(InputStream in) throws IOException {
      return new DeadLetter(
          Stage.valueOf(STRING.decode(in)),
          STRING.decode(in),
          STRING.decode(in),
          BYTES.decode(in),
          STRING.decode(in),
          LONG.decode(in),
          LONG.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
