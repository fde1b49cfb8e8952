package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.transforms.SliceTable.Slice;

@RunWith(JUnit4.class)
public class SliceTableTest {
  private static Slice slice(String key) {
    return new Slice(key, 60_000);
  }

  /** A full table of two slices, which folded {@code rowsFolded} rows into the first one. */
  private static SliceTable<String> filledAfterFolding(int rowsFolded) {
    SliceTable<String> table = new SliceTable<>(2);
    table.keep(slice("a"), "partial of a");
    for (int row = 0; row < rowsFolded; row++) {
      table.find(slice("a"));
    }
    table.keep(slice("b"), "partial of b");
    return table;
  }

  @Test
  public void findsTheSlicesItKeeps() {
    SliceTable<String> table = new SliceTable<>(2);
    table.keep(slice("a"), "partial of a");
    assertThat(table.find(slice("a")), is("partial of a"));
    assertThat(table.find(slice("b")), is(nullValue()));
  }

  @Test
  public void aFullTableKeepsNoNewSlice() {
    SliceTable<String> table = filledAfterFolding(2);
    assertThat(table.keep(slice("c"), "partial of c"), is(false));
    assertThat(table.find(slice("c")), is(nullValue()));
  }

  @Test
  public void aTableThatFilledHavingFoldedTwoRowsASliceGoesOnFoldingTheSlicesItHolds() {
    SliceTable<String> table = filledAfterFolding(2);
    assertThat(table.passesRowsOn(), is(false));
    assertThat(table.find(slice("b")), is("partial of b"));
  }

  @Test
  public void aTableThatFilledHavingFoldedFewerPassesEveryLaterRowOn() {
    SliceTable<String> table = filledAfterFolding(1);
    assertThat(table.passesRowsOn(), is(true));
    assertThat(table.find(slice("a")), is(nullValue()));
  }
}
