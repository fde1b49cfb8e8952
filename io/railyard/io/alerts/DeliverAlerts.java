package railyard.io.alerts;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import railyard.model.Alert;
import railyard.model.DeadLetter;
import railyard.transforms.RailyardMetrics;

/**
 * Delivers each alert to every configured sink, and returns a dead letter ({@code sink} stage,
 * reason {@value #UNDELIVERABLE}) for each alert a sink gave up on, naming the sink and why.
 *
 * <p>With the store among the sinks, the {@code alerts} table is also the delivery ledger: an
 * alert is recorded there first, and one the table already holds (a retried bundle, a replayed
 * run) goes nowhere else, so each incident's opening and resolution are delivered once. Without
 * the store, a retried bundle may post again; the {@code Idempotency-Key} header tells receivers.
 */
@AutoValue
public abstract class DeliverAlerts extends PTransform<PCollection<Alert>, PCollection<DeadLetter>> {
  public static final String UNDELIVERABLE = "alert_undeliverable";

  abstract @Nullable AlertSinks sinks();

  abstract Builder toBuilder();

  public static DeliverAlerts create() {
    return new AutoValue_DeliverAlerts.Builder().build();
  }

  public DeliverAlerts to(AlertSinks sinks) {
    return toBuilder().setSinks(sinks).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setSinks(AlertSinks sinks);

    abstract DeliverAlerts build();
  }

  @Override
  public PCollection<DeadLetter> expand(PCollection<Alert> alerts) {
    checkArgument(sinks() != null, "DeliverAlerts needs its sinks: call to()");
    return alerts
        .apply("Deliver", ParDo.of(new DeliverFn(sinks())))
        .setCoder(DeadLetter.DeadLetterCoder.of());
  }

  private static final class DeliverFn extends DoFn<Alert, DeadLetter> {
    private final AlertSinks config;
    private transient List<AlertSink> sinks;

    DeliverFn(AlertSinks config) {
      this.config = config;
    }

    @Setup
    public void setup() {
      sinks = config.open();
    }

    @ProcessElement
    public void process(@Element Alert alert, OutputReceiver<DeadLetter> deadLetters) {
      new AlertDelivery(sinks)
          .deliver(alert)
          .forEach(
              failure -> {
                RailyardMetrics.counter(RailyardMetrics.ALERT_DELIVERY_FAILURES).inc();
                deadLetters.output(deadLetter(alert, failure));
              });
    }

    @Teardown
    public void teardown() {
      if (sinks != null) {
        sinks.forEach(AlertSink::close);
      }
    }
  }

  static DeadLetter deadLetter(Alert alert, String failure) {
    long now = System.currentTimeMillis();
    return new DeadLetter(
        DeadLetter.Stage.SINK,
        UNDELIVERABLE,
        failure,
        AlertJson.text(alert).getBytes(StandardCharsets.UTF_8),
        "alert:" + alert.deliveryId(),
        now,
        now);
  }
}
