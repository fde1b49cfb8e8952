package railyard.io.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static railyard.io.generator.GeneratorFixtures.ID;
import static railyard.io.generator.GeneratorFixtures.TS;
import static railyard.io.generator.GeneratorFixtures.config;
import static railyard.io.generator.GeneratorFixtures.generator;
import static railyard.io.generator.GeneratorFixtures.validOrNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;

@RunWith(JUnit4.class)
public class GeneratorEventTest {
  private static final int N = 20_000;

  @Test
  public void sameSeedAndIndexGiveTheSameEventInAnyOrder() {
    EventGenerator a = generator(config(N, 0.05, 0.05, 0.05));
    EventGenerator b = generator(config(N, 0.05, 0.05, 0.05));
    for (long i = 1999; i >= 0; i--) {
      assertThat(b.event(i), equalTo(a.event(i)));
    }
  }

  @Test
  public void anotherSeedGivesOtherEvents() {
    EventGenerator a = generator(config(N, 0, 0, 0));
    GeneratorConfig c = config(N, 0, 0, 0);
    EventGenerator b =
        generator(
            new GeneratorConfig(
                c.seed() + 1, c.events(), c.eventsPerSecond(), c.rate(), c.start(),
                c.duplicateShare(), c.malformedShare(), c.lateShare(), c.maxOutOfOrder(),
                c.maxLateness()));
    assertThat(Arrays.equals(a.event(5).payload(), b.event(5).payload()), is(false));
  }

  @Test
  public void receiptTimeAdvancesAtEventsPerSecond() {
    EventGenerator g = generator(config(N, 0, 0, 0)); // 100 events/s from 2026-01-01
    long start = java.time.Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    assertThat(g.event(0).receivedAt(), equalTo(start));
    assertThat(g.event(1).receivedAt(), equalTo(start + 10));
    assertThat(g.event(12_345).receivedAt(), equalTo(start + 123_450));
    assertThat(g.event(7).source(), equalTo("generator"));
  }

  @Test
  public void ordinaryPayloadHasEveryDeclaredFieldAndIsoMillisTime() {
    EventGenerator g = generator(config(N, 0, 0, 0));
    for (long i = 0; i < 500; i++) {
      JsonNode doc = validOrNull(g.event(i).payload());
      assertThat("event " + i, doc, notNullValue());
      assertThat(doc.size(), equalTo(6));
      assertThat(doc.get(ID).asText(), equalTo(g.eventId(i)));
      assertThat(
          doc.get(TS).asText(), matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
    }
  }

  @Test
  public void eventIdsAreUniquePerIndex() {
    EventGenerator g = generator(config(N, 0, 0, 0));
    Set<String> ids = new HashSet<>();
    for (long i = 0; i < N; i++) {
      ids.add(validOrNull(g.event(i).payload()).get(ID).asText());
    }
    assertThat(ids.size(), equalTo(N));
  }

  @Test
  public void duplicatesResendARecentPayloadByteForByte() {
    EventGenerator g = generator(config(N, 0.2, 0.05, 0.05));
    int duplicates = 0;
    for (long i = 0; i < 5_000; i++) {
      if (g.kind(i) != EventGenerator.Kind.DUPLICATE) {
        continue;
      }
      duplicates++;
      long original = g.originalOf(i);
      assertThat(original, allOf(lessThan(i), greaterThanOrEqualTo(0L)));
      RawEvent dup = g.event(i);
      // Resends may chain, but the direct source is at most 20 back.
      boolean sameAsRecent = false;
      for (long j = Math.max(0, i - EventGenerator.DUPLICATE_HORIZON); j < i; j++) {
        sameAsRecent |= Arrays.equals(dup.payload(), g.event(j).payload());
      }
      assertThat("event " + i, sameAsRecent, is(true));
      assertThat(dup.payload(), equalTo(g.event(original).payload()));
      assertThat(dup.receivedAt(), equalTo(g.receivedAt(i)));
    }
    assertThat(duplicates, greaterThan(500));
  }

  @Test
  public void sharesLandNearTheConfiguredOnes() {
    EventGenerator g = generator(config(N, 0.05, 0.04, 0.03));
    long maxOutOfOrder = g.config().maxOutOfOrder().getMillis();
    int duplicates = 0;
    int malformed = 0;
    int late = 0;
    List<byte[]> recent = new ArrayList<>();
    for (long i = 0; i < N; i++) {
      RawEvent e = g.event(i);
      boolean seen = recent.stream().anyMatch(p -> Arrays.equals(p, e.payload()));
      recent.add(e.payload());
      if (recent.size() > EventGenerator.DUPLICATE_HORIZON) {
        recent.remove(0);
      }
      if (seen) {
        duplicates++;
        continue;
      }
      JsonNode doc = validOrNull(e.payload());
      if (doc == null) {
        malformed++;
      } else if (GeneratorFixtures.eventTimeMillis(doc) < e.receivedAt() - maxOutOfOrder) {
        late++;
      }
    }
    assertThat(duplicates / (double) N, closeTo(0.05, 0.006));
    assertThat(malformed / (double) N, closeTo(0.04, 0.006));
    assertThat(late / (double) N, closeTo(0.03, 0.005));
  }

  @Test
  public void ordinaryEventTimesTrailReceiptByAtMostMaxOutOfOrder() {
    EventGenerator g = generator(config(N, 0, 0, 0));
    long maxOutOfOrder = g.config().maxOutOfOrder().getMillis();
    for (long i = 0; i < 2_000; i++) {
      RawEvent e = g.event(i);
      long eventTime = GeneratorFixtures.eventTimeMillis(validOrNull(e.payload()));
      assertThat(eventTime, allOf(lessThanOrEqualTo(e.receivedAt()),
          greaterThanOrEqualTo(e.receivedAt() - maxOutOfOrder)));
    }
  }

  @Test
  public void everyMalformationKindShowsUp() {
    EventGenerator g = generator(config(N, 0, 1.0, 0));
    int invalid = 0;
    int oversized = 0;
    int badUtf8 = 0;
    for (long i = 0; i < 3_000; i++) {
      byte[] p = g.event(i).payload();
      invalid += validOrNull(p) == null ? 1 : 0;
      oversized += p.length >= Malformation.OVERSIZED_BYTES ? 1 : 0;
      badUtf8 += new String(p, StandardCharsets.UTF_8).contains("\uFFFD") ? 1 : 0;
    }
    assertThat(invalid, equalTo(3_000));
    assertThat(oversized, allOf(greaterThan(10), lessThan(60)));
    assertThat(badUtf8, greaterThan(300));
  }

  @Test
  public void hotKeyIsMuchMoreFrequentThanTheMedianKey() {
    EventGenerator g = generator(config(N, 0, 0, 0));
    Map<String, Integer> counts = new HashMap<>();
    for (long i = 0; i < N; i++) {
      counts.merge(validOrNull(g.event(i).payload()).get("user_id").asText(), 1, Integer::sum);
    }
    List<Integer> sorted = new ArrayList<>(counts.values());
    Collections.sort(sorted);
    int top = sorted.get(sorted.size() - 1);
    int median = sorted.get(sorted.size() / 2);
    assertThat(top, greaterThan(50 * median));
    assertThat(counts.get("user-1"), equalTo(top));
  }

  @Test
  public void allowedValuesAreSkewedToo() {
    EventGenerator g = generator(config(N, 0, 0, 0));
    Map<String, Integer> counts = new HashMap<>();
    for (long i = 0; i < N; i++) {
      counts.merge(validOrNull(g.event(i).payload()).get("country").asText(), 1, Integer::sum);
    }
    assertThat(counts.keySet(), everyItem(matchesPattern("us|de|fr|in|br|jp")));
    assertThat(counts.get("us"), greaterThan(4 * counts.get("jp")));
  }

  @Test
  public void millionKeyFieldDrawsAcrossTheWholeRange() {
    EventGenerator g = new EventGenerator(config(N, 0, 0, 0), GeneratorFixtures.clicks(1_000_000), ID, TS);
    Set<Long> ranks = new HashSet<>();
    for (long i = 0; i < N; i++) {
      String user = validOrNull(g.event(i).payload()).get("user_id").asText();
      long rank = Long.parseLong(user.substring("user-".length()));
      assertThat(rank, allOf(greaterThanOrEqualTo(1L), lessThanOrEqualTo(1_000_000L)));
      ranks.add(rank);
    }
    assertThat(ranks.size(), greaterThan(5_000));
    assertThat(Collections.max(ranks), greaterThan(500_000L));
  }

  @Test
  public void keysBeyondTheExactTableStayInRange() {
    ZipfSampler zipf = new ZipfSampler(50_000_000L, 0.8);
    java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
    long beyondHead = 0;
    for (int i = 0; i < 20_000; i++) {
      long rank = zipf.sample(rng);
      assertThat(rank, allOf(greaterThanOrEqualTo(1L), lessThanOrEqualTo(50_000_000L)));
      beyondHead += rank > ZipfSampler.HEAD ? 1 : 0;
    }
    assertThat(beyondHead, greaterThan(1_000L));
  }

  @Test
  public void amountsStayInsideTheDeclaredRange() {
    EventGenerator g = generator(config(N, 0, 0, 0));
    double sum = 0;
    for (long i = 0; i < 5_000; i++) {
      double amount = validOrNull(g.event(i).payload()).get("amount").asDouble();
      assertThat(amount, allOf(greaterThanOrEqualTo(0.0), lessThanOrEqualTo(500.0)));
      sum += amount;
    }
    assertThat(sum / 5_000, closeTo(40.0, 4.0));
  }

  @Test
  public void undeclaredEventTimeFieldIsRejected() {
    IllegalArgumentException e =
        org.junit.Assert.assertThrows(
            IllegalArgumentException.class,
            () -> new EventGenerator(config(N, 0, 0, 0), GeneratorFixtures.clicks(), ID, "when"));
    assertThat(e.getMessage(), matchesPattern(".*'when'.*clicks.*"));
  }

  @Test
  public void sharesOverOneAreRejected() {
    IllegalArgumentException e =
        org.junit.Assert.assertThrows(
            IllegalArgumentException.class, () -> generator(config(N, 0.5, 0.4, 0.2)));
    assertThat(e.getMessage(), not(nullValue()));
  }
}
