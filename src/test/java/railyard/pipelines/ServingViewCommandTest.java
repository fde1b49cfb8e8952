package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** {@code railyard serving-view}: the BigQuery merged view's statement for a spec. */
@RunWith(JUnit4.class)
public class ServingViewCommandTest {
  private static final String SPEC = "src/test/resources/specs/e2e.yaml";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "serving-view";
    System.arraycopy(args, 0, all, 1, args.length);
    return Railyard.dispatch(
        all,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  public void printsTheViewOverTheDatasetsServingTableWithTheSpecsSessionViewsByName() {
    int code = run("--spec=" + SPEC, "--serving=bigquery:acme-analytics:railyard");

    assertThat(err.toString(StandardCharsets.UTF_8), code, is(0));

    String ddl = out.toString(StandardCharsets.UTF_8);
    assertThat(ddl, containsString("CREATE OR REPLACE VIEW `acme-analytics.railyard.serving_merged` AS"));
    assertThat(ddl, containsString("FROM `acme-analytics.railyard.serving` AS s"));
    assertThat(ddl, containsString("CASE WHEN s.view IN ('user_sessions')"));
  }

  @Test
  public void refusesAStoreThatIsNotBigQuery() {
    assertThat(run("--spec=" + SPEC, "--serving=/tmp/serving.db"), is(2));
    assertThat(
        err.toString(StandardCharsets.UTF_8),
        containsString("SQLite and PostgreSQL stores create serving_merged themselves"));
  }
}
