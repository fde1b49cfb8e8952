package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.transforms.LiveWindows.Entry;
import railyard.transforms.SliceWindows.Window;

/** What the stream's view engine keeps of a key ({@link LiveWindows}). */
@RunWith(JUnit4.class)
public class LiveWindowsTest {
  private static ViewAccumulator events(long n) {
    ViewAccumulator acc = new ViewAccumulator(0);
    acc.events = n;
    return acc;
  }

  private static LiveWindows twoSessions() {
    LiveWindows live = LiveWindows.empty();
    live.add(0, new Window(0, 30), events(2)).panes = 1;
    live.add(1, new Window(20, 60), events(7)); // another view's session
    Entry later = live.add(0, new Window(50, 80), events(3));
    later.panes = 2;
    later.nonEarly = 1;
    return live;
  }

  @Test
  public void aSessionBridgingTwoLiveOnesOfItsViewBecomesOneWithBothFoldsAndTheMostPanes() {
    LiveWindows live = twoSessions();

    Entry merged = live.mergeSessions(0, new Window(20, 60));

    assertThat(live.entries.size(), is(2));
    assertThat(live.entries.get(1), is(merged));
    assertThat(merged.window, is(new Window(0, 80)));
    assertThat(merged.acc.events, is(5L));
    assertThat(merged.panes, is(2));
    assertThat(merged.closed(), is(true));
  }

  @Test
  public void aSessionOverlappingNoneMergesNothing() {
    LiveWindows live = twoSessions();

    assertThat(live.mergeSessions(0, new Window(30, 50)), is(nullValue()));
    assertThat(live.entries.size(), is(3));
  }

  @Test
  public void itsCoderKeepsEveryWindowFoldPaneCountAndTimer() throws Exception {
    LiveWindows live = twoSessions();
    live.earlyPending = true;
    live.timerAt = 29;
    live.timerHolds = true;

    LiveWindows copy = CoderUtils.clone(new LiveWindows.Coder(), live);

    assertThat(copy.entries.get(1).view, is(1));
    assertThat(copy.entries.get(2).window, is(new Window(50, 80)));
    assertThat(copy.entries.get(2).acc.events, is(3L));
    assertThat(copy.entries.get(2).nonEarly, is(1));
    assertThat(copy.entries.get(0).panes, is(1));
    assertThat(copy.earlyPending, is(true));
    assertThat(copy.timerAt, is(29L));
    assertThat(copy.timerHolds, is(true));
  }
}
