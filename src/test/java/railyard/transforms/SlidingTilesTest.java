package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;

import java.util.ArrayList;
import java.util.List;
import org.joda.time.Duration;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.schema.WindowSpec;

/** Which tiles own the sliding windows of an instant, and which of those windows each owns. */
@RunWith(JUnit4.class)
public class SlidingTilesTest {
  private static final long MINUTE = 60_000;
  private static final long HOUR = 60 * MINUTE;
  private static final SlidingTiles FIVE_EVERY_MINUTE =
      new SlidingTiles(WindowSpec.sliding(Duration.standardMinutes(5), Duration.standardMinutes(1)));

  private static List<Long> tiles(SlidingTiles tiles, long at) {
    List<Long> owners = new ArrayList<>();
    tiles.forEachTile(at, owners::add);
    return owners;
  }

  private static List<Long> windows(SlidingTiles tiles, long at, long tile) {
    List<Long> starts = new ArrayList<>();
    tiles.forEachWindow(at, tile, starts::add);
    return starts;
  }

  @Test
  public void anInstantWhoseWindowsAllStartInOneHourHasOneTile() {
    assertThat(tiles(FIVE_EVERY_MINUTE, 30 * MINUTE), contains(0L));
  }

  @Test
  public void anInstantJustAfterTheHourHasWindowsInThatHourAndTheOneBefore() {
    assertThat(tiles(FIVE_EVERY_MINUTE, HOUR + 90_000), contains(HOUR, 0L));
  }

  @Test
  public void eachTileOwnsOnlyTheWindowsStartingInIt() {
    long at = HOUR + 90_000;
    assertThat(windows(FIVE_EVERY_MINUTE, at, HOUR), contains(HOUR + MINUTE, HOUR));
    assertThat(
        windows(FIVE_EVERY_MINUTE, at, 0),
        contains(HOUR - MINUTE, HOUR - 2 * MINUTE, HOUR - 3 * MINUTE));
  }

  @Test
  public void instantsBeforeTheEpochFindTheirWindowsToo() {
    assertThat(tiles(FIVE_EVERY_MINUTE, -30_000), contains(-HOUR));
    assertThat(
        windows(FIVE_EVERY_MINUTE, -30_000, -HOUR),
        contains(-MINUTE, -2 * MINUTE, -3 * MINUTE, -4 * MINUTE, -5 * MINUTE));
  }

  @Test
  public void aTileIsAtLeastFourWindowsLong() {
    SlidingTiles daily = new SlidingTiles(WindowSpec.sliding(Duration.standardDays(1), Duration.standardHours(1)));
    // 24 windows each an hour apart: tiles of 96 hours, so 95:30's windows start in one tile.
    assertThat(tiles(daily, 95 * HOUR + 30 * MINUTE), contains(0L));
    assertThat(tiles(daily, 96 * HOUR + 30 * MINUTE), contains(96 * HOUR, 0L));
  }
}
