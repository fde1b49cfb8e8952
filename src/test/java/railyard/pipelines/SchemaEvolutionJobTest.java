package railyard.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.catalog.FileCatalog;
import railyard.io.catalog.SchemaVersion;
import railyard.io.sql.SqlLimits;
import railyard.io.sql.SqlResult;
import railyard.io.sql.WarehouseSql;

/**
 * Schema evolution declared in the spec: a version that adds a nullable field runs, and the
 * warehouse reads old and new partitions together; an incompatible change is refused at launch
 * with a message naming the field, before anything is written.
 */
@RunWith(JUnit4.class)
public class SchemaEvolutionJobTest {
  private static final String V2_SPEC = "src/test/resources/specs/catalogued-v2.yaml";

  @ClassRule public static final TemporaryFolder SHARED = new TemporaryFolder();
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  /** A warehouse holding version 1 of the orders table, for the refusals. */
  private static File version1;

  @BeforeClass
  public static void writeVersion1() throws Exception {
    version1 = SHARED.newFolder("v1");
    JobRun.run(CatalogJobTest.SPEC, version1, "--mode=batch");
  }

  /** Launches the catalogued spec, edited by {@code edit}, against the version-1 warehouse. */
  private String launchEdited(java.util.function.UnaryOperator<String> edit) throws Exception {
    String original = Files.readString(Path.of(CatalogJobTest.SPEC));
    String edited = edit.apply(original);
    assertThat("the edit applies", edited, is(org.hamcrest.Matchers.not(original)));
    Path spec = folder.newFile("edited.yaml").toPath();
    Files.writeString(spec, edited);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Railyard.launch(
            new String[] {
              "--spec=" + spec, "--mode=batch", "--warehouse=" + new File(version1, "warehouse"),
              "--lake=" + folder.newFolder("lake"), "--serving=" + new File(folder.getRoot(), "s.db")
            },
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code, is(2));
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  public void aChangedTypeIsRefusedNamingTheField() throws Exception {
    String message =
        launchEdited(s -> s.replace("{name: amount, type: double", "{name: amount, type: long"));
    assertThat(message, allOf(containsString("field 'amount'"), containsString("changes type from double to long")));
  }

  @Test
  public void aRemovedFieldIsRefusedNamingIt() throws Exception {
    String message =
        launchEdited(
            s -> s.replaceAll("(?m)^    - \\{name: amount, .*\\n", "").replaceAll("(?s)\nviews:.*", "\n"));
    assertThat(message, allOf(containsString("field 'amount'"), containsString("was removed")));
  }

  @Test
  public void aFieldAddedWithoutANewVersionIsRefusedNamingIt() throws Exception {
    String message =
        launchEdited(
            s -> s.replace(
                "    - {name: ts, type: timestamp, required: true}",
                "    - {name: ts, type: timestamp, required: true}\n    - {name: coupon, type: string}"));
    assertThat(
        message,
        allOf(containsString("field 'coupon'"), containsString("raise schema.version and give the field since: 2")));
  }

  @Test
  public void aRequiredFieldAddedInANewVersionIsRefusedNamingIt() throws Exception {
    String message =
        launchEdited(
            s -> s.replace("  table: orders\n", "  table: orders\n  version: 2\n")
                .replace(
                    "    - {name: ts, type: timestamp, required: true}",
                    "    - {name: ts, type: timestamp, required: true}\n"
                        + "    - {name: coupon, type: string, required: true, since: 2}"));
    assertThat(
        message, allOf(containsString("schema.fields[5].since"), containsString("field 'coupon'"), containsString("nullable")));
  }

  @Test
  public void anEvolvedSchemaReadsOldAndNewPartitions() throws Exception {
    File out = folder.newFolder("out");
    JobRun.run(CatalogJobTest.SPEC, out, "--mode=batch");
    RunSummary v2 = JobRun.run(V2_SPEC, out, "--mode=batch");

    FileCatalog catalog = FileCatalog.at(new File(out, "warehouse").toString());
    assertThat(catalog.versions("orders").stream().map(SchemaVersion::version).toList(), contains(1, 2));
    try (WarehouseSql sql = WarehouseSql.open(catalog, SqlLimits.interactive())) {
      SqlResult byDay =
          sql.query(
              "SELECT strftime(dt, '%Y-%m-%d'), count(*), count(coupon) FROM orders GROUP BY dt ORDER BY dt");
      List<List<Object>> rows = byDay.rows();
      assertThat(rows.size(), is(3));
      assertThat(rows.get(0).subList(0, 1), contains((Object) "2026-03-01"));
      assertThat(rows.get(0).get(2), equalTo((Object) 0L));
      assertThat(rows.get(1).get(2), equalTo((Object) 0L));
      assertThat(rows.get(2).get(0), equalTo((Object) "2026-03-04"));
      assertThat(rows.get(2).get(1), equalTo((Object) v2.counter("unique")));
      assertThat((Long) rows.get(2).get(2), greaterThan(0L));
      assertThat(
          sql.query("SELECT count(*) FROM orders").rows().get(0).get(0),
          equalTo((Object) catalog.describe("orders").rows()));
    }
  }
}
