package railyard.io.filedrop;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields of one CSV record (RFC 4180: comma-separated; a field in double quotes may hold
 * commas, line breaks and doubled quotes). An empty unquoted field reads as null, a quoted empty
 * field ({@code ""}) as the empty string.
 */
final class CsvFields {

  /** A record that is not well-formed CSV. */
  static final class MalformedCsvException extends Exception {
    MalformedCsvException(String message) {
      super(message, null, false, false);
    }
  }

  private CsvFields() {}

  static List<String> parse(String record) throws MalformedCsvException {
    List<String> fields = new ArrayList<>();
    int i = 0;
    int n = record.length();
    while (true) {
      if (i < n && record.charAt(i) == '"') {
        StringBuilder value = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            throw new MalformedCsvException("field " + (fields.size() + 1) + ": quote not closed");
          }
          char c = record.charAt(i++);
          if (c != '"') {
            value.append(c);
          } else if (i < n && record.charAt(i) == '"') {
            value.append('"');
            i++;
          } else {
            break;
          }
        }
        fields.add(value.toString());
        if (i < n && record.charAt(i) != ',') {
          throw new MalformedCsvException(
              "field " + fields.size() + ": text after the closing quote");
        }
      } else {
        int end = record.indexOf(',', i);
        String value = record.substring(i, end < 0 ? n : end);
        if (value.indexOf('"') >= 0) {
          throw new MalformedCsvException(
              "field " + (fields.size() + 1) + ": a quote inside an unquoted field");
        }
        fields.add(value.isEmpty() ? null : value);
        i = end < 0 ? n : end;
      }
      if (i >= n) {
        return fields;
      }
      i++; // the comma
      if (i == n) {
        fields.add(null);
        return fields;
      }
    }
  }
}
