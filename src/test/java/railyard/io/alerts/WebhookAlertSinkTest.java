package railyard.io.alerts;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.Test;
import railyard.model.Alert;

/** The webhook sink against a real HTTP receiver on loopback. */
public class WebhookAlertSinkTest {
  private static final Alert OPENED = Alerts.of("3f2a", Alert.Status.OPEN);

  private static WebhookConfig fastRetries(String url, int attempts) {
    return WebhookConfig.to(url).withRetries(attempts, Duration.ofMillis(100), Duration.ofMillis(400));
  }

  @Test
  public void postsTheAlertAsJsonWithItsDeliveryIdAsIdempotencyKey() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.started();
        WebhookAlertSink sink = new WebhookAlertSink(WebhookConfig.to(receiver.url()))) {
      sink.deliver(OPENED);

      List<WebhookReceiver.Post> posts = receiver.posts();
      assertThat(posts.size(), is(1));
      assertThat(posts.get(0).idempotencyKey(), is("3f2a/open"));
      assertThat(posts.get(0).body().get("id").asText(), is("3f2a"));
      assertThat(posts.get(0).body().get("status").asText(), is("open"));
      assertThat(posts.get(0).body().get("rule").asText(), is("invalid_spike"));
      assertThat(posts.get(0).body().get("windowEnd").asText(), is("2026-01-01T00:01:00Z"));
    }
  }

  @Test
  public void theSlackFormatPostsATextLineAndTheDetailsAsAttachmentFields() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.started();
        WebhookAlertSink sink =
            new WebhookAlertSink(WebhookConfig.to(receiver.url()).withSlack(true))) {
      sink.deliver(OPENED);

      var body = receiver.posts().get(0).body();
      assertThat(body.get("text").asText(), containsString("[critical] clickstream · invalid_spike open"));
      assertThat(body.get("attachments").get(0).get("fields").get(0).get("value").asText(), is("3f2a"));
    }
  }

  @Test
  public void aReceiverThatIsDownForAWhileGetsTheAlertOnceWhenItIsBack() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.down();
        WebhookAlertSink sink = new WebhookAlertSink(fastRetries(receiver.url(), 20))) {
      Thread comesBack = new Thread(() -> {
        try {
          Thread.sleep(1_500);
        } catch (InterruptedException e) {
          return;
        }
        receiver.start();
      });
      comesBack.start();

      sink.deliver(OPENED);
      comesBack.join();

      assertThat(sink.retries() > 0, is(true));
      assertThat(receiver.awaitPosts(1, 5).size(), is(1));
      Thread.sleep(500);
      assertThat(receiver.posts().size(), is(1));
    }
  }

  @Test
  public void aServerErrorIsRetriedUntilTheAttemptsRunOut() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.started();
        WebhookAlertSink sink = new WebhookAlertSink(fastRetries(receiver.url(), 3))) {
      receiver.answerWith(503);

      AlertDeliveryException e = assertThrows(AlertDeliveryException.class, () -> sink.deliver(OPENED));

      assertThat(e.getMessage(), containsString("gave up after 3 attempts: HTTP 503"));
      assertThat(sink.retries(), is(2));
    }
  }

  @Test
  public void aClientErrorIsNotRetried() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.started();
        WebhookAlertSink sink = new WebhookAlertSink(fastRetries(receiver.url(), 5))) {
      receiver.answerWith(400);

      AlertDeliveryException e = assertThrows(AlertDeliveryException.class, () -> sink.deliver(OPENED));

      assertThat(e.getMessage(), containsString("HTTP 400"));
      assertThat(sink.retries(), is(0));
    }
  }
}
