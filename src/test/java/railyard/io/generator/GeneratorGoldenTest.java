package railyard.io.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static railyard.io.generator.GeneratorFixtures.config;
import static railyard.io.generator.GeneratorFixtures.generator;

import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;

/**
 * The events of a fixed seed never change: jobs, tests and benchmark workloads are compared
 * across versions by them. The digest was taken from the generator before it was made faster
 * (its JSON written without Jackson's map serializer, its timestamps without a formatter).
 */
@RunWith(JUnit4.class)
public class GeneratorGoldenTest {
  private static final String DIGEST =
      "f0c1b1bc39c5be6a79c2bfb69fd27fb0d0ee696954555465f2769e3cee2cdf34";

  @Test
  public void theFixturesFirstEventsAreByteForByteWhatTheyWere() throws Exception {
    // Every kind of event: 5% each duplicate, malformed (all kinds of defect) and late.
    EventGenerator g = generator(config(20_000, 0.05, 0.05, 0.05));
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (long i = 0; i < 20_000; i++) {
      RawEvent e = g.event(i);
      sha.update(e.source().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      sha.update(Long.toString(e.receivedAt()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      sha.update(e.payload());
    }
    assertThat(HexFormat.of().formatHex(sha.digest()), equalTo(DIGEST));
  }
}
