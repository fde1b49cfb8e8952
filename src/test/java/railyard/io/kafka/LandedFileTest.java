package railyard.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** A landed file's name says which records it holds, and reads back exactly. */
@RunWith(JUnit4.class)
public class LandedFileTest {
  private static final String HOUR = "dt=2026-11-20/hr=10";

  @Test
  public void aNameReadsBackToItsPlaceAndOffsets() {
    LandedFile file = new LandedFile(HOUR, "orders", 3);

    LandedFile.Parsed parsed = LandedFile.parse(HOUR, file.fileName(120, 455));

    assertThat(parsed.file(), equalTo(file));
    assertThat(parsed.range()[0], equalTo(120L));
    assertThat(parsed.range()[1], equalTo(455L));
  }

  @Test
  public void aTopicWhoseNameEndsLikeAPartitionIsReadFromTheRight() {
    LandedFile file = new LandedFile(HOUR, "orders-1-2", 0);

    LandedFile.Parsed parsed = LandedFile.parse(HOUR, file.fileName(7, 9));

    assertThat(parsed.file(), equalTo(file));
    assertThat(parsed.range()[0], equalTo(7L));
  }

  @Test
  public void otherLakeFilesAreNotTakenForLandedOnes() {
    assertThat(
        LandedFile.parse(HOUR, "3f2c-20261120T100000Z-20261120T100100Z-p0-00000-of-00001.avro"),
        nullValue());
    assertThat(LandedFile.parse(HOUR, "kafka-orders-x-1-2.avro"), nullValue());
    assertThat(LandedFile.parse(HOUR, ".kafka-orders-0-1-2.avro.9a1.tmp"), nullValue());
  }
}
