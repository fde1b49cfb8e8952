package railyard.io.lake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static railyard.io.lake.LakeFixtures.event;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.files.WrittenFiles;
import railyard.model.RawEvent;

/** Writing the same events twice adds files; it never replaces the first write's files. */
@RunWith(JUnit4.class)
public class LakeWriteOnceTest {
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline first = TestPipeline.create();
  @Rule public final transient TestPipeline second = TestPipeline.create();
  @Rule public final transient TestPipeline reader = TestPipeline.create();

  private static final List<RawEvent> EVENTS =
      List.of(event("s", "2026-01-01T10:00:00Z", "one"), event("s", "2026-01-01T11:00:00Z", "two"));

  private void write(Pipeline pipeline) {
    pipeline
        .apply(Create.of(EVENTS))
        .apply(
            RawLakeWrite.create().withRoot(tmp.getRoot().getAbsolutePath()).withPipelineName("p"));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aSecondWriteAddsFilesAndKeepsTheFirst() {
    Path lake = tmp.getRoot().toPath().resolve("raw/p");
    write(first);
    List<String> afterFirst = WrittenFiles.under(lake);

    write(second);
    List<String> afterSecond = WrittenFiles.under(lake);

    assertThat(afterSecond, hasSize(2 * afterFirst.size()));
    for (String file : afterFirst) {
      assertThat(afterSecond, hasItem(file));
    }
    assertThat(afterFirst, not(hasSize(0)));

    PAssert.that(
            reader.apply(
                RawLakeRead.create()
                    .withRoot(tmp.getRoot().getAbsolutePath())
                    .withPipelineName("p")
                    .withTimeRange(
                        Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T00:00:00Z"))))
        .containsInAnyOrder(EVENTS.get(0), EVENTS.get(0), EVENTS.get(1), EVENTS.get(1));
    reader.run().waitUntilFinish();
  }
}
