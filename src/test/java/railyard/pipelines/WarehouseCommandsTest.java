package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.catalog.FileCatalog;
import railyard.io.sql.SqlLimits;
import railyard.io.sql.SqlWarehouse;
import railyard.io.sql.WarehouseSql;

/** {@code railyard sql} and {@code railyard export} as a person runs them. */
@RunWith(JUnit4.class)
public class WarehouseCommandsTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private String warehouse;

  @Before
  public void writeWarehouse() {
    warehouse = new File(folder.getRoot(), "warehouse").toString();
    SqlWarehouse.twoDays(warehouse);
  }

  private int run(String input, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "--warehouse=" + warehouse;
    System.arraycopy(args, 0, all, 1, args.length);
    return SqlCommand.run(
        all,
        new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private int export(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "--warehouse=" + warehouse;
    System.arraycopy(args, 0, all, 1, args.length);
    return Railyard.dispatch(
        prepend("export", all),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private String printed() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  public void oneQueryPrintsATable() {
    assertThat(run("", "SELECT order_id, amount FROM orders ORDER BY order_id"), is(0));
    assertThat(
        printed(),
        is("order_id | amount\n---------+-------\na1       | 10.0\na2       | 5.5\nb1       | 7.0\n"
            + printed().substring(printed().indexOf("(3 rows"))));
  }

  @Test
  public void csvOutputIsRfc4180() {
    assertThat(
        run("", "--format=csv", "SELECT order_id, 'x,\"y\"' AS note FROM orders WHERE dt = DATE '2026-01-02'"),
        is(0));
    assertThat(printed(), is("order_id,note\r\nb1,\"x,\"\"y\"\"\"\r\n"));
  }

  @Test
  public void jsonOutputIsAnArrayOfObjects() {
    assertThat(run("", "--format=json", "SELECT order_id, amount, dt FROM orders WHERE order_id = 'b1'"), is(0));
    assertThat(printed(), is("[{\"order_id\":\"b1\",\"amount\":7.0,\"dt\":\"2026-01-02\"}]\n"));
  }

  @Test
  public void thePromptRunsEachStatementEndedBySemicolon() {
    assertThat(run("SELECT count(*) AS n\nFROM orders;\n.tables\n.quit\n", "--format=csv"), is(0));
    assertThat(printed(), allOf(containsString("n\r\n3\r\n"), containsString("orders\n")));
  }

  @Test
  public void aFailingQueryIsReportedAndExitsOne() {
    assertThat(run("", "SELECT nope FROM orders"), is(1));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("nope"));
  }

  @Test
  public void aBadOptionIsReportedWithUsageAndExitsTwo() {
    assertThat(run("", "--maxRows=many", "SELECT 1"), is(2));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("--maxRows must be a whole number, not 'many'"));
  }

  @Test
  public void exportWritesTheTimeRangeToParquet() throws Exception {
    File file = new File(folder.getRoot(), "slice.parquet");
    assertThat(
        export("--table=orders", "--from=2026-01-01T12:00:00Z", "--to=2026-01-02T12:00:00Z", "--out=" + file),
        is(0));
    assertThat(printed(), containsString("2 rows of orders"));
    try (WarehouseSql sql = WarehouseSql.open(FileCatalog.at(warehouse), SqlLimits.interactive())) {
      assertThat(
          sql.query("SELECT order_id FROM read_parquet('" + file + "') ORDER BY order_id").rows(),
          equalTo(List.of(List.<Object>of("a2"), List.<Object>of("b1"))));
    }
  }

  @Test
  public void exportWritesCsvWithAHeader() throws Exception {
    File file = new File(folder.getRoot(), "slice.csv");
    assertThat(
        export("--table=orders", "--from=2026-01-01T00:00:00Z", "--to=2026-01-01T12:00:00Z",
            "--format=csv", "--out=" + file),
        is(0));
    List<String> lines = Files.readAllLines(file.toPath());
    assertThat(lines.size(), is(2));
    assertThat(lines.get(0), containsString("order_id,amount,_event_id,_event_time"));
    assertThat(lines.get(1), containsString("a1,10.0,evt-a1,"));
  }

  @Test
  public void exportOfAnUnknownTableNamesTheTables() {
    assertThat(
        export("--table=nope", "--from=2026-01-01T00:00:00Z", "--to=2026-01-02T00:00:00Z", "--out=x.parquet"),
        is(2));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("no table 'nope'"));
  }
}
