package railyard.spec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertThrows;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.schema.ViewSpec;

/** An SQL view in a spec: read, compiled at launch, and refused with a message naming the problem. */
@RunWith(JUnit4.class)
public class SqlViewSpecTest {
  private static final String FILE = "examples/sql.yaml";

  private static final String VALID =
      """
      name: test
      source: {type: generator}
      schema:
        fields:
          - {name: id, type: string, required: true}
          - {name: country, type: string}
          - {name: amount, type: double}
          - {name: ts, type: timestamp}
      eventTime: {field: ts}
      dedupe: {key: id}
      views:
        - name: revenue_sql
          window: {type: fixed, size: 1m}
          sql: >-
            SELECT country, COUNT(*) AS event_count, SUM(amount) AS revenue
            FROM PCOLLECTION GROUP BY country
          keys: [country]
          metrics: [revenue]
      """;

  private static String with(String from, String to) {
    assertThat("fragment to replace: " + from, VALID.contains(from), is(true));
    return VALID.replace(from, to);
  }

  private static String error(String yaml) {
    return assertThrows(SpecException.class, () -> SpecLoader.parse(yaml, FILE)).getMessage();
  }

  @Test
  public void anSqlViewLoadsWithItsKeysAndMetrics() {
    ViewSpec view = SpecLoader.parse(VALID, FILE).views().get(0);

    assertThat(view.sql().keys(), is(List.of("country")));
    assertThat(view.metricNames(), is(List.of("revenue")));
    assertThat(view.sql().query(), startsWith("SELECT country, COUNT(*) AS event_count"));
  }

  @Test
  public void sqlThatDoesNotParseIsRefused() {
    assertThat(
        error(with("FROM PCOLLECTION GROUP BY country", "FROM PCOLLECTION GROUP country")),
        allOf(startsWith(FILE + ": views[0].sql: the SQL does not compile: "), containsString("GROUP")));
  }

  @Test
  public void anUnknownColumnIsRefusedByName() {
    assertThat(
        error(with("SUM(amount) AS revenue", "SUM(price) AS revenue")),
        allOf(startsWith(FILE + ": views[0].sql: the SQL does not compile: "), containsString("'price'")));
  }

  @Test
  public void aKeyTheSelectDoesNotGiveIsRefused() {
    assertThat(
        error(with("keys: [country]", "keys: [region]")),
        is(
            FILE
                + ": views[0].sql: key 'region' is not a column of the SELECT, whose columns are"
                + " [country, event_count, revenue] (name each with AS)"));
  }

  @Test
  public void aMissingKeysEntryIsRefused() {
    assertThat(error(with("    keys: [country]\n", "")), containsString("views[0].keys"));
  }

  @Test
  public void aSelectWithoutEventCountIsRefused() {
    assertThat(
        error(with("COUNT(*) AS event_count", "COUNT(*) AS n")),
        containsString("no column event_count: every serving row counts its events; add COUNT(*) AS event_count"));
  }

  @Test
  public void aColumnNeitherKeyNorMetricIsRefused() {
    assertThat(
        error(with("SUM(amount) AS revenue", "SUM(amount) AS revenue, MAX(amount) AS biggest")),
        containsString("column 'biggest' of the SELECT is neither a key, a metric nor event_count"));
  }

  @Test
  public void aTextMetricIsRefused() {
    assertThat(
        error(with("SUM(amount) AS revenue", "MAX(country) AS revenue")),
        containsString("metric 'revenue' is STRING; a metric must be a number or a timestamp"));
  }

  @Test
  public void groupByBelongsInTheSql() {
    assertThat(
        error(with("keys: [country]", "keys: [country]\n    groupBy: [country]")),
        containsString("views[0].groupBy: an SQL view groups in its SQL"));
  }
}
