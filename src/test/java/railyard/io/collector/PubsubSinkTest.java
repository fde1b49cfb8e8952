package railyard.io.collector;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.oneOf;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.is;

import com.google.pubsub.v1.PublishRequest;
import com.google.pubsub.v1.PublishResponse;
import com.google.pubsub.v1.PublisherGrpc;
import com.google.pubsub.v1.PubsubMessage;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The Pub/Sub sink through the real Pub/Sub client library and gRPC, against a Publisher service
 * this test serves on loopback (the emulator's wire protocol; no Google endpoint is contacted):
 * payloads and attributes as received, acknowledged only after Pub/Sub's answer, and 503 while
 * Pub/Sub cannot be reached (through a relay that is taken down and brought back).
 */
@RunWith(JUnit4.class)
public class PubsubSinkTest {
  private static final String TOPIC = "projects/railyard-test/topics/clicks";

  @Rule public final CollectorFixture c = new CollectorFixture();

  private final List<PubsubMessage> published = new CopyOnWriteArrayList<>();
  private Server pubsub;

  /** Pub/Sub's Publish call: keeps the messages and answers with their ids. */
  private final class Publisher extends PublisherGrpc.PublisherImplBase {
    private final AtomicLong ids = new AtomicLong();

    @Override
    public void publish(PublishRequest request, StreamObserver<PublishResponse> answer) {
      PublishResponse.Builder response = PublishResponse.newBuilder();
      if (request.getTopic().equals(TOPIC)) {
        published.addAll(request.getMessagesList());
        request.getMessagesList().forEach(m -> response.addMessageIds(Long.toString(ids.incrementAndGet())));
      }
      answer.onNext(response.build());
      answer.onCompleted();
    }
  }

  @Before
  public void startPubsub() throws Exception {
    pubsub =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .addService(new Publisher())
            .build()
            .start();
  }

  @After
  public void stopPubsub() throws InterruptedException {
    pubsub.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  private Collector collectorAt(int port, String... more) throws Exception {
    List<String> flags =
        new ArrayList<>(
            List.of("--sink=pubsub", "--pubsubTopic=" + TOPIC, "--pubsubEmulator=127.0.0.1:" + port));
    flags.addAll(List.of(more));
    return Collector.start(c.config(flags.toArray(new String[0])));
  }

  private List<String> payloads() {
    return published.stream().map(m -> m.getData().toStringUtf8()).toList();
  }

  @Test
  public void eachEventIsOneMessageWithItsBytesAndAttributes() throws Exception {
    try (Collector collector = collectorAt(pubsub.getPort())) {
      HttpResponse<String> response =
          c.postTo(collector, "application/x-ndjson", "{\"id\":1}\n{ \"id\" : 2 }\n", "X-Railyard-Tenant", "acme");

      assertThat(response.body(), response.statusCode(), is(202));
      // Without an ordering key, Pub/Sub promises no order.
      assertThat("answered only once Pub/Sub acknowledged", payloads(), containsInAnyOrder("{\"id\":1}", "{ \"id\" : 2 }"));
      assertThat(published.get(0).getAttributesMap(), hasEntry(PubsubSink.SOURCE_ATTRIBUTE, CollectorHandler.SOURCE));
    }
  }

  @Test
  public void whilePubsubIsUnreachableRequestsAre503AndAfterwardsAccepted() throws Exception {
    try (TcpRelay relay = new TcpRelay(pubsub.getPort());
        Collector collector = collectorAt(relay.port(), "--sinkTimeoutMillis=3000", "--retryAfterSeconds=1")) {
      assertThat(c.postTo(collector, "application/json", "{\"id\":\"before\"}").statusCode(), is(202));

      relay.down();
      HttpResponse<String> down = c.untilStatus(collector, 503, "{\"id\":\"during\"}", 30);
      assertThat(down.headers().firstValue("Retry-After").isPresent(), is(true));

      relay.up();
      c.untilStatus(collector, 202, "{\"id\":\"after\"}", 60);
      assertThat(c.healthOf(collector), is(200));
      // "during" may arrive too: the client library retries a publish for 10 s, past the 503.
      assertThat(payloads(), hasItems("{\"id\":\"before\"}", "{\"id\":\"after\"}"));
      assertThat(payloads(), everyItem(oneOf("{\"id\":\"before\"}", "{\"id\":\"during\"}", "{\"id\":\"after\"}")));
    }
  }
}
