package railyard.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * One change of an incident: it opened, or it resolved. Both changes of one incident share its
 * {@code id}, which depends only on the pipeline, the rule, the key and the window the incident
 * opened in, so a retry or a replay produces the same alert and sinks can ignore a repeat.
 *
 * @param source {@code pipeline} for rules evaluated in the pipeline, {@code watchdog} for the
 *     query service's freshness check
 * @param key the view row's key (the group-by values), empty for a view without group-by
 * @param value the metric's value in the window that changed the incident
 * @param threshold the effective limit it was compared with
 * @param windowStart the start of that window, epoch ms
 * @param windowEnd the end of that window, epoch ms; also the alert's time
 */
@DefaultCoder(Alert.AlertCoder.class)
public record Alert(
    String id,
    Status status,
    String source,
    String pipeline,
    String rule,
    String severity,
    String view,
    String key,
    String metric,
    double value,
    double threshold,
    long windowStart,
    long windowEnd,
    String message)
    implements Serializable {

  public enum Status {
    OPEN,
    RESOLVED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Alert {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(view, "view");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(message, "message");
  }

  /** The identity of this delivery: the incident and its change, e.g. {@code 3f…a1/open}. */
  public String deliveryId() {
    return id + "/" + status.label();
  }

  /** A positional coder. */
  public static final class AlertCoder extends CustomCoder<Alert> {
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<Long> LONG = VarLongCoder.of();
    private static final Coder<Double> DOUBLE = DoubleCoder.of();

    public static AlertCoder of() {
      return new AlertCoder();
    }

    @Override
    public void encode(Alert a, OutputStream out) throws IOException {
      for (String s : new String[] {a.id, a.status.name(), a.source, a.pipeline, a.rule,
          a.severity, a.view, a.key, a.metric}) {
        STRING.encode(s, out);
      }
      DOUBLE.encode(a.value, out);
      DOUBLE.encode(a.threshold, out);
      LONG.encode(a.windowStart, out);
      LONG.encode(a.windowEnd, out);
      STRING.encode(a.message, out);
    }

    @Override
    public Alert decode(InputStream in) throws IOException {
      return new Alert(
          STRING.decode(in),
          Status.valueOf(STRING.decode(in)),
          STRING.decode(in),
          STRING.decode(in),
          STRING.decode(in),
          STRING.decode(in),
          STRING.decode(in),
          STRING.decode(in),
          STRING.decode(in),
          DOUBLE.decode(in),
          DOUBLE.decode(in),
          LONG.decode(in),
          LONG.decode(in),
          STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
