package railyard.io.collector;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.Rule;
import org.junit.Test;
import railyard.io.metrics.PrometheusText;

/** The collector's Prometheus {@code /metrics}, scraped over loopback. */
public class CollectorMetricsTest {
  private static final String REQUESTS = "http_server_requests_seconds_count";

  @Rule public final CollectorFixture c = new CollectorFixture();

  private PrometheusText scrape() throws Exception {
    HttpResponse<String> response =
        c.http.send(
            HttpRequest.newBuilder(c.collector.uri().resolve("/metrics")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode(), is(200));
    assertThat(
        response.headers().firstValue("Content-Type").orElse(""), startsWith("text/plain; version=0.0.4"));
    return new PrometheusText(response.body());
  }

  @Test
  public void countsAcceptedAndRefusedPostsByStatus() throws Exception {
    c.post("application/json", "{\"id\":1}");
    c.post("application/json", "{\"id\":2}");
    c.post("application/json", "{\"id\":3}");
    c.post("text/csv", "id\n4");

    PrometheusText metrics = scrape();

    assertThat(
        metrics.value(REQUESTS, "route", "/v1/events", "method", "POST", "status", "202"), equalTo(3.0));
    assertThat(
        metrics.value(REQUESTS, "route", "/v1/events", "method", "POST", "status", "415"), equalTo(1.0));
  }

  @Test
  public void labelsUnknownPathsOtherSoSeriesStayBounded() throws Exception {
    for (String path : new String[] {"/a", "/b", "/c/d"}) {
      c.http.send(
          HttpRequest.newBuilder(c.collector.uri().resolve(path)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    }

    assertThat(scrape().value(REQUESTS, "route", "other", "status", "404"), equalTo(3.0));
  }

  @Test
  public void recordsLatencyOfEveryRequest() throws Exception {
    c.post("application/json", "{\"id\":1}");

    PrometheusText metrics = scrape();

    String[] posted = {"route", "/v1/events", "status", "202"};
    assertThat(metrics.value("http_server_requests_seconds_sum", posted) > 0, is(true));
    assertThat(
        metrics.value(
            "http_server_requests_seconds_bucket", "route", "/v1/events", "status", "202", "le", "+Inf"),
        equalTo(1.0));
  }
}
