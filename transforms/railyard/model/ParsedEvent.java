package railyard.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * An event between parsing and event-time assignment: the typed row, still with the original bytes
 * so any stage can dead-letter it exactly as received.
 */
public record ParsedEvent(RawEvent raw, Row row) {

  public ParsedEvent {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(row, "row");
  }

  public ParsedEvent withRow(Row conformed) {
    return new ParsedEvent(raw, conformed);
  }

  /** Encodes the raw event and the row positionally; the row's schema travels with the coder. */
  public static final class ParsedEventCoder extends CustomCoder<ParsedEvent> {
    private final RowCoder rowCoder;

    private ParsedEventCoder(Schema schema) {
      this.rowCoder = RowCoder.of(schema);
    }

    public static ParsedEventCoder of(Schema schema) {
      return new ParsedEventCoder(schema);
    }

    @Override
    public void encode(ParsedEvent value, OutputStream out) throws IOException {
      RawEvent.RawEventCoder.of().encode(value.raw(), out);
      rowCoder.encode(value.row(), out);
    }

    @Override
    public ParsedEvent decode(InputStream in) throws IOException {
      return new ParsedEvent(RawEvent.RawEventCoder.of().decode(in), rowCoder.decode(in));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ParsedEventCoder other && rowCoder.equals(other.rowCoder);
    }

    @Override
    public int hashCode() {
      return rowCoder.hashCode();
    }
  }
}
