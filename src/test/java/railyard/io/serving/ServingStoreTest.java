package railyard.io.serving;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertThrows;

import java.io.File;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class ServingStoreTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void opensADotDbPathCreatingItsFolders() {
    File file = new File(folder.getRoot(), "nested/deeper/serving.db");

    try (ServingStore store = ServingStore.open(file.getPath())) {
      assertThat(store, instanceOf(SqliteServingStore.class));
      assertThat(file.exists(), is(true));
    }
  }

  @Test
  public void opensASqlitePrefixedLocationOfAnyFileName() {
    File file = new File(folder.getRoot(), "serving.store");

    try (ServingStore store = ServingStore.open("sqlite:" + file)) {
      store.upsert(List.of(ServingRows.speed("v", "k", 0, 1, 0)));
      assertThat(store.countRows(), is(1L));
    }
    assertThat(file.exists(), is(true));
  }

  @Test
  public void rejectsAnUnknownLocationNamingTheAcceptedForms() {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class, () -> ServingStore.open("mysql://host/db"));

    assertThat(error.getMessage(), containsString("sqlite:<path>"));
    assertThat(error.getMessage(), containsString("postgresql://host:port/db"));
  }

  @Test
  public void acceptsChecksTheFormOnly() {
    assertThat(ServingStore.accepts("/no/such/dir/x.db"), is(true));
    assertThat(ServingStore.accepts("sqlite:"), is(false));
    assertThat(ServingStore.accepts("serving.csv"), is(false));
  }
}
