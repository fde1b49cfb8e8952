package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import railyard.model.DeadLetter;
import railyard.model.RawEvent;

/** What the tests read from a {@link PrepareEvents} result whose rows have an {@code id}. */
final class Prepared {
  private Prepared() {}

  /** The {@code id} of each row that came out. */
  static PCollection<String> ids(WithDeadLetters<Row> prepared) {
    return prepared
        .output()
        .apply("Ids", MapElements.into(TypeDescriptors.strings()).via(row -> row.getString("id")));
  }

  static PCollection<String> reasons(WithDeadLetters<Row> prepared) {
    return prepared
        .deadLetters()
        .apply("Reasons", MapElements.into(TypeDescriptors.strings()).via(DeadLetter::reason));
  }

  static PCollection<String> messages(WithDeadLetters<Row> prepared) {
    return prepared
        .deadLetters()
        .apply("Messages", MapElements.into(TypeDescriptors.strings()).via(DeadLetter::message));
  }

  /**
   * Asserts that no row and exactly one dead letter come out: {@code event}, rejected at {@code
   * stage} for {@code reason}, with its original bytes and source.
   */
  static void expectOnlyDeadLetter(
      WithDeadLetters<Row> prepared, RawEvent event, DeadLetter.Stage stage, String reason) {
    PAssert.that(prepared.output()).empty();
    PAssert.thatSingleton(prepared.deadLetters())
        .satisfies(
            dead -> {
              assertThat(dead.reason(), equalTo(reason));
              assertThat(dead.stage(), is(stage));
              assertThat(dead.payload(), equalTo(event.payload()));
              assertThat(dead.source(), equalTo(event.source()));
              return null;
            });
  }
}
