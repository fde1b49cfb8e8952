package railyard.io.collector;

import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import railyard.model.RawEvent;

/**
 * Publishes each event to a Google Cloud Pub/Sub topic with the Pub/Sub client library; a write
 * completes when Pub/Sub has acknowledged (returned a message id for) every message. The data is
 * the payload as received; the attributes travel as message attributes, plus {@value
 * #SOURCE_ATTRIBUTE}; Pub/Sub's publish time becomes the receipt time the Pub/Sub source reads.
 *
 * <p>The client retries a publish for at least 10 s (its own floor), so with a shorter {@code
 * --sinkTimeoutMillis} a request answered 503 may still be published: at least once, like a
 * client's retry; the pipeline's deduplication removes the copy.
 *
 * <p>Publishing needs no admin permission, so there is no probe: after a failed publish the sink
 * counts as down for {@code downMillis} (the collector answers 503 with {@code Retry-After}), then
 * the next request tries again.
 */
public final class PubsubSink implements EventSink {
  static final String SOURCE_ATTRIBUTE = "railyard.source";
  /** The client library refuses to give up on a publish sooner than this. */
  private static final long MIN_RETRY_MILLIS = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(PubsubSink.class);

  private final String topic;
  private final String emulator;
  private final long downMillis;
  private final Publisher publisher;
  private final ManagedChannel channel;
  private volatile long downUntilMillis;
  private volatile boolean closed;

  /**
   * @param topic {@code projects/<project>/topics/<topic>}
   * @param emulator {@code host:port} of a Pub/Sub emulator (plain text, no credentials), or null
   *     for Google's endpoint with the application default credentials
   */
  public PubsubSink(String topic, String emulator, long timeoutMillis, long downMillis) {
    this.topic = topic;
    this.emulator = emulator;
    this.downMillis = downMillis;
    TopicName name;
    try {
      name = TopicName.parse(topic);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "--pubsubTopic must be projects/<project>/topics/<topic>; was " + topic, e);
    }
    Publisher.Builder builder =
        Publisher.newBuilder(name)
            .setRetrySettings(retriesWithin(Duration.ofMillis(Math.max(timeoutMillis, MIN_RETRY_MILLIS))));
    if (emulator != null) {
      channel = ManagedChannelBuilder.forTarget(emulator).usePlaintext().build();
      builder
          .setChannelProvider(
              FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
          .setCredentialsProvider(NoCredentialsProvider.create());
    } else {
      channel = null;
    }
    try {
      publisher = builder.build();
    } catch (IOException e) {
      throw new IllegalArgumentException("--pubsubTopic " + topic + ": " + e.getMessage(), e);
    }
  }

  /** Retries a publish with backoff, but never past the time the collector waits for it. */
  private static RetrySettings retriesWithin(Duration total) {
    Duration attempt = total.compareTo(Duration.ofSeconds(5)) < 0 ? total : Duration.ofSeconds(5);
    return RetrySettings.newBuilder()
        .setInitialRetryDelayDuration(Duration.ofMillis(100))
        .setRetryDelayMultiplier(2)
        .setMaxRetryDelayDuration(Duration.ofSeconds(2))
        .setInitialRpcTimeoutDuration(attempt)
        .setRpcTimeoutMultiplier(1)
        .setMaxRpcTimeoutDuration(attempt)
        .setTotalTimeoutDuration(total)
        .build();
  }

  @Override
  public CompletableFuture<Void> write(List<RawEvent> events) {
    List<CompletableFuture<Void>> acks = new ArrayList<>(events.size());
    for (RawEvent event : events) {
      CompletableFuture<Void> ack = new CompletableFuture<>();
      ApiFutures.addCallback(publisher.publish(message(event)), new ApiFutureCallback<String>() {
        @Override
        public void onSuccess(String messageId) {
          ack.complete(null);
        }

        @Override
        public void onFailure(Throwable error) {
          markDown(error);
          ack.completeExceptionally(error);
        }
      }, MoreExecutors.directExecutor());
      acks.add(ack);
    }
    return CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0]));
  }

  private static PubsubMessage message(RawEvent event) {
    return PubsubMessage.newBuilder()
        .setData(ByteString.copyFrom(event.payload()))
        .putAllAttributes(event.attributes())
        .putAttributes(SOURCE_ATTRIBUTE, event.source())
        .build();
  }

  private void markDown(Throwable error) {
    if (System.currentTimeMillis() >= downUntilMillis) {
      LOG.warn("pubsub sink: publishing to {} failed: {}", topic, error.toString());
    }
    downUntilMillis = System.currentTimeMillis() + downMillis;
  }

  @Override
  public boolean isUp() {
    return !closed && System.currentTimeMillis() >= downUntilMillis;
  }

  @Override
  public String describe() {
    return "pubsub " + topic + (emulator == null ? "" : " at " + emulator);
  }

  @Override
  public void close() {
    closed = true;
    publisher.shutdown();
    try {
      publisher.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (channel != null) {
      channel.shutdown();
    }
  }
}
