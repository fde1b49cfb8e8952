package railyard.io.collector;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.contains;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;

/** The three framings, each event's bytes exactly as sent, and what is refused (400, whole). */
@RunWith(JUnit4.class)
public class CollectorFramingTest {
  @Rule public final CollectorFixture c = new CollectorFixture();

  @Test
  public void aSingleObjectIsOneEventWithItsBytesAsSent() throws Exception {
    String object = "{ \"id\" : 1,\t\"name\":\"caf\u00e9 \\u00e9\", \"n\": 1.50e3 }";

    HttpResponse<String> response = c.post("application/json", "  " + object + "\n");

    assertThat(response.statusCode(), is(202));
    assertThat(response.body(), containsString("\"accepted\":1"));
    assertThat(CollectorFixture.payloads(c.lakeEvents()), contains(object));
  }

  @Test
  public void anArrayIsOneEventPerElementSlicedFromTheBody() throws Exception {
    String a = "{\"id\":\"a\",\"nested\":{\"x\":[1, 2,{\"y\":\"]}\"}]}}";
    String b = "{ \"id\" : \"b\" ,\n  \"t\": \"\u00fc\u4e2d\" }";
    String c3 = "{}";

    HttpResponse<String> response =
        c.post("application/json; charset=utf-8", "[\n " + a + " ,\n" + b + "," + c3 + "]");

    assertThat(response.statusCode(), is(202));
    assertThat(response.body(), containsString("\"accepted\":3"));
    assertThat(CollectorFixture.payloads(c.lakeEvents()), contains(a, b, c3));
  }

  @Test
  public void ndjsonIsOneEventPerLineWithoutItsLineEnd() throws Exception {
    String body = "{\"id\":1}\n\n{ \"id\" : 2 }\r\n   \n{\"id\":\"3\\n\"}";

    HttpResponse<String> response = c.post("application/x-ndjson", body);

    assertThat(response.statusCode(), is(202));
    assertThat(
        CollectorFixture.payloads(c.lakeEvents()),
        contains("{\"id\":1}", "{ \"id\" : 2 }", "{\"id\":\"3\\n\"}"));
  }

  @Test
  public void withoutAContentTypeAnArrayIsJsonAndAnythingElseNdjson() throws Exception {
    assertThat(c.post(null, "[{\"id\":1},{\"id\":2}]").statusCode(), is(202));
    assertThat(c.post(null, "{\"id\":3}\n{\"id\":4}\n").statusCode(), is(202));

    assertThat(c.lakeEvents().size(), is(4));
  }

  @Test
  public void textThatIsNotUtf8IsRefused() throws Exception {
    byte[] body = "{\"id\":1}\n{\"id\":\"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);

    HttpResponse<String> response =
        c.post("application/x-ndjson", java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));

    assertThat(response.statusCode(), is(400));
    assertThat(response.body(), containsString("line 2 is not valid JSON"));
  }

  @Test
  public void aBodyThatIsNotJsonIsRefused() throws Exception {
    HttpResponse<String> response = c.post("application/json", "{\"id\": 1,");

    assertThat(response.statusCode(), is(400));
    assertThat(response.body(), containsString("not valid JSON"));
  }

  @Test
  public void anArrayOfNonObjectsIsRefusedNamingTheElement() throws Exception {
    HttpResponse<String> response = c.post("application/json", "[{\"id\":1}, 2]");

    assertThat(response.statusCode(), is(400));
    assertThat(response.body(), containsString("array element 1 is not a JSON object"));
  }

  @Test
  public void aScalarIsRefused() throws Exception {
    HttpResponse<String> response = c.post("application/json", "\"hello\"");

    assertThat(response.statusCode(), is(400));
    assertThat(response.body(), containsString("found a string"));
  }

  @Test
  public void twoObjectsSentAsJsonAreRefused() throws Exception {
    HttpResponse<String> response = c.post("application/json", "{\"id\":1} {\"id\":2}");

    assertThat(response.statusCode(), is(400));
    assertThat(response.body(), containsString("trailing content"));
  }

  @Test
  public void anEmptyBodyIsRefused() throws Exception {
    assertThat(c.post("application/json", "").statusCode(), is(400));
    HttpResponse<String> blank = c.post("application/x-ndjson", "\n  \n");
    assertThat(blank.statusCode(), is(400));
    assertThat(blank.body(), containsString("no events"));
    assertThat(c.post("application/json", "[]").statusCode(), is(400));
  }

  @Test
  public void aBadNdjsonLineIsNamedAndNothingOfTheRequestIsKept() throws Exception {
    HttpResponse<String> response =
        c.post("application/x-ndjson", "{\"id\":1}\n{\"id\":2}\n{\"id\":\n{\"id\":4}\n");

    assertThat(response.statusCode(), is(400));
    assertThat(response.body(), containsString("line 3 is not valid JSON"));
    assertThat(c.lakeEvents(), is(empty()));
  }

  @Test
  public void anNdjsonLineWithTwoObjectsIsRefused() throws Exception {
    HttpResponse<String> response = c.post("application/x-ndjson", "{\"id\":1}\n{\"a\":1}{\"b\":2}\n");

    assertThat(response.statusCode(), is(400));
    assertThat(response.body(), containsString("line 2 has content after its JSON object"));
  }

  @Test
  public void everyEventIsMarkedAsComingFromHttp() throws Exception {
    c.post("application/json", "[{\"id\":1},{\"id\":2}]");

    assertThat(c.lakeEvents().stream().map(RawEvent::source).toList(), everyItem(is("http")));
  }
}
