package railyard.io.alerts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import railyard.model.Alert;
import railyard.transforms.RailyardMetrics;

/**
 * Posts each alert as JSON to a URL. A refused connection, a timeout, a 5xx, 408 or 429 answer is
 * tried again after an exponentially growing wait, up to the configured attempts, so a receiver
 * that is down for a while still gets the alert once it is back. Any other answer outside 2xx is
 * final. Every post carries {@code Idempotency-Key: <id>/<status>}, the same on every attempt, so a
 * receiver can ignore a repeat of a post whose answer was lost.
 */
final class WebhookAlertSink implements AlertSink {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookAlertSink.class);

  private final WebhookConfig config;
  private final HttpClient client;
  private int retries;

  WebhookAlertSink(WebhookConfig config) {
    this.config = config;
    this.client = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
  }

  @Override
  public String name() {
    return "webhook";
  }

  /** Attempts after the first, over this sink's life; for the retry counter. */
  int retries() {
    return retries;
  }

  @Override
  public void deliver(Alert alert) throws AlertDeliveryException {
    String body = config.slack() ? AlertJson.slack(alert) : AlertJson.text(alert);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(config.url()))
            .timeout(config.timeout())
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", alert.deliveryId())
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    Duration wait = config.initialBackoff();
    String lastProblem = "";
    for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
      if (attempt > 1) {
        retries++;
        RailyardMetrics.counter(RailyardMetrics.ALERT_DELIVERY_RETRIES).inc();
        sleep(wait);
        wait = wait.multipliedBy(2).compareTo(config.maxBackoff()) > 0
            ? config.maxBackoff()
            : wait.multipliedBy(2);
      }
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          return;
        }
        lastProblem = "HTTP " + status + " from " + config.url();
        if (!retryable(status)) {
          throw new AlertDeliveryException(lastProblem + " (not retried)");
        }
      } catch (IOException e) {
        lastProblem = e.getClass().getSimpleName() + " posting to " + config.url()
            + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AlertDeliveryException("interrupted posting to " + config.url(), e);
      }
      LOG.warn("Alert {} not delivered (attempt {} of {}): {}",
          alert.deliveryId(), attempt, config.maxAttempts(), lastProblem);
    }
    throw new AlertDeliveryException(
        "gave up after " + config.maxAttempts() + " attempts: " + lastProblem);
  }

  private static boolean retryable(int status) {
    return status >= 500 || status == 408 || status == 429;
  }

  private static void sleep(Duration wait) throws AlertDeliveryException {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AlertDeliveryException("interrupted while waiting to retry", e);
    }
  }

  @Override
  public void close() {
    // Java 17's HttpClient has no close(); its threads end when it is collected.
  }
}
