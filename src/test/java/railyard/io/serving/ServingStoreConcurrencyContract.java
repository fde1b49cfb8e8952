package railyard.io.serving;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static railyard.io.serving.ServingRows.speed;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hamcrest.Matchers;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import railyard.model.ServingRow;
import railyard.model.ServingRow.Layer;

/**
 * Several writers, each with its own store as separate workers would have, on one location, with a
 * reader running throughout. Each store's concurrency test extends this one.
 */
public abstract class ServingStoreConcurrencyContract {
  private static final int WRITERS = 6;
  private static final int BATCHES = 30;
  private static final int ROWS_PER_BATCH = 20;
  private static final int CONTESTED_KEYS = 10;

  private String location;
  private ExecutorService threads;

  /** Where a fresh, empty store for one test lives. */
  protected abstract String location();

  @Before
  public void setUp() throws Exception {
    location = location();
    threads = Executors.newFixedThreadPool(WRITERS + 1);
  }

  @After
  public void tearDown() throws Exception {
    threads.shutdownNow();
    threads.awaitTermination(30, TimeUnit.SECONDS);
  }

  /** Writer {@code w} writes its own keys, twice over, to show retries change nothing. */
  private Callable<Void> ownKeys(int writer) {
    return () -> {
      try (ServingStore store = ServingStore.open(location, Set.of())) {
        for (int pass = 0; pass < 2; pass++) {
          for (int b = 0; b < BATCHES; b++) {
            List<ServingRow> batch = new ArrayList<>();
            for (int r = 0; r < ROWS_PER_BATCH; r++) {
              batch.add(speed("v", "w" + writer + "-" + b + "-" + r, 0, 60, 0));
            }
            store.upsert(batch);
          }
        }
      }
      return null;
    };
  }

  /** Every writer writes every contested key, with pane indexes that interleave. */
  private Callable<Void> contestedKeys(int writer) {
    return () -> {
      try (ServingStore store = ServingStore.open(location, Set.of())) {
        for (int b = 0; b < BATCHES; b++) {
          List<ServingRow> batch = new ArrayList<>();
          for (int k = 0; k < CONTESTED_KEYS; k++) {
            batch.add(speed("contested", "k" + k, 0, 60, (long) b * WRITERS + writer));
          }
          store.upsert(batch);
        }
      }
      return null;
    };
  }

  private Callable<Void> reader(AtomicBoolean writing) {
    return () -> {
      try (ServingStore store = ServingStore.open(location, Set.of())) {
        while (writing.get()) {
          store.readMerged("v");
          store.countRows();
        }
      }
      return null;
    };
  }

  private void runWithAReader(List<Callable<Void>> writers) throws Exception {
    AtomicBoolean writing = new AtomicBoolean(true);
    Future<Void> reading = threads.submit(reader(writing));
    List<Future<Void>> done = new ArrayList<>();
    for (Callable<Void> writer : writers) {
      done.add(threads.submit(writer));
    }
    try {
      for (Future<Void> writer : done) {
        writer.get(120, TimeUnit.SECONDS);
      }
    } finally {
      writing.set(false);
    }
    reading.get(30, TimeUnit.SECONDS);
  }

  @Test
  public void concurrentWritersLoseAndDoubleNothing() throws Exception {
    List<Callable<Void>> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      writers.add(ownKeys(w));
    }

    runWithAReader(writers);

    try (ServingStore store = ServingStore.open(location)) {
      List<ServingRow> rows = store.readLayer("v", Layer.SPEED);
      assertThat(store.countRows(), is((long) WRITERS * BATCHES * ROWS_PER_BATCH));
      assertThat(rows.size(), is(WRITERS * BATCHES * ROWS_PER_BATCH));
      assertThat(rows.stream().mapToLong(ServingRow::eventCount).sum(), is(3L * rows.size()));
    }
  }

  @Test
  public void concurrentWritersOfOneKeyLeaveTheNewestPane() throws Exception {
    List<Callable<Void>> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      writers.add(contestedKeys(w));
    }

    runWithAReader(writers);

    try (ServingStore store = ServingStore.open(location)) {
      List<ServingRow> rows = store.readMerged("contested");
      assertThat(rows.size(), is(CONTESTED_KEYS));
      long newest = (long) BATCHES * WRITERS - 1;
      assertThat(
          rows.stream().map(ServingRow::paneIndex).toList(), everyItem(Matchers.is(newest)));
    }
  }
}
