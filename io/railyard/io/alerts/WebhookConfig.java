package railyard.io.alerts;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how a webhook sink posts alerts.
 *
 * @param url an {@code http} or {@code https} URL
 * @param slack post a Slack-compatible body ({@code {"text": …, "attachments": […]}}) instead of
 *     the alert's own JSON
 * @param maxAttempts how many times one alert is posted before it becomes a dead letter
 * @param initialBackoff the wait after the first failed attempt; it doubles after each
 * @param maxBackoff the longest wait between two attempts
 * @param timeout how long one attempt may take
 */
public record WebhookConfig(
    String url,
    boolean slack,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration timeout)
    implements Serializable {
  public static final int DEFAULT_MAX_ATTEMPTS = 10;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(1);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  public WebhookConfig {
    Objects.requireNonNull(url, "url");
    String scheme = URI.create(url).getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException("webhook url must be http:// or https://, not '" + url + "'");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("webhook maxAttempts must be 1 or more, was " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("webhook maxBackoff must be at least initialBackoff");
    }
  }

  /** Posts to {@code url} with the defaults. */
  public static WebhookConfig to(String url) {
    return new WebhookConfig(
        url, false, DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF,
        DEFAULT_TIMEOUT);
  }

  public WebhookConfig withSlack(boolean slackFormat) {
    return new WebhookConfig(url, slackFormat, maxAttempts, initialBackoff, maxBackoff, timeout);
  }

  public WebhookConfig withRetries(int attempts, Duration initial, Duration max) {
    return new WebhookConfig(url, slack, attempts, initial, max, timeout);
  }
}
