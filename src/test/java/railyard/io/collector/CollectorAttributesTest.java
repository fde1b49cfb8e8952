package railyard.io.collector;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;

/** What the lake records about each request: who sent it, how, and when. */
@RunWith(JUnit4.class)
public class CollectorAttributesTest {
  @Rule public final CollectorFixture c = new CollectorFixture();

  @Test
  public void everyEventCarriesTheRequestsAttributes() throws Exception {
    HttpResponse<String> response =
        c.post(
            "application/x-ndjson",
            "{\"id\":1}\n{\"id\":2}\n",
            "User-Agent", "shop-frontend/2.1",
            "X-Railyard-Tenant", "acme",
            "X-Forwarded-For", "10.1.2.3");
    String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();

    List<RawEvent> events = c.lakeEvents();
    assertThat(events.size(), is(2));
    for (RawEvent event : events) {
      assertThat(
          event.attributes(),
          allOf(
              hasEntry("remote_addr", "127.0.0.1"),
              hasEntry("user_agent", "shop-frontend/2.1"),
              hasEntry("content_type", "application/x-ndjson"),
              hasEntry("request_id", requestId),
              hasEntry("x-railyard-tenant", "acme")));
      assertThat(event.attributes(), not(hasKey("x-forwarded-for")));
      assertThat(event.attributes(), not(hasKey("api_key_id")));
    }
  }

  @Test
  public void receivedAtIsWhenTheRequestArrived() throws Exception {
    long before = System.currentTimeMillis();
    c.post("application/json", "{\"id\":1}");
    long after = System.currentTimeMillis();

    long receivedAt = c.lakeEvents().get(0).receivedAt();
    assertThat(receivedAt, allOf(greaterThanOrEqualTo(before), lessThanOrEqualTo(after)));
  }

  @Test
  public void eventsOfOneRequestShareOneReceiptTime() throws Exception {
    c.post("application/json", "[{\"id\":1},{\"id\":2},{\"id\":3}]");

    assertThat(c.lakeEvents().stream().map(RawEvent::receivedAt).distinct().count(), is(1L));
  }
}
