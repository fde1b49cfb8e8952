package railyard.io.query;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The query parameters of one request, checked: a parameter the endpoint does not know, a single
 * parameter given twice, a value of the wrong form or out of range is a 400 naming the parameter.
 */
final class Parameters {
  static final int MAX_VALUE_LENGTH = 1_024;
  // Wide enough for any data, narrow enough that no difference of two times overflows a long.
  static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  private final Map<String, List<String>> values;

  private Parameters(Map<String, List<String>> values) {
    this.values = values;
  }

  /** {@code values} with only the parameters in {@code known}. */
  static Parameters of(Map<String, List<String>> values, Set<String> known) {
    return of(values, known, MAX_VALUE_LENGTH);
  }

  /** {@code values} with only the parameters in {@code known}, each at most {@code maxLength}. */
  static Parameters of(Map<String, List<String>> values, Set<String> known, int maxLength) {
    for (Map.Entry<String, List<String>> parameter : values.entrySet()) {
      if (!known.contains(parameter.getKey())) {
        throw ApiException.badRequest(
            "Unknown parameter '" + shortened(parameter.getKey()) + "'; this endpoint takes "
                + String.join(", ", known.stream().sorted().toList()));
      }
      for (String value : parameter.getValue()) {
        if (value.length() > maxLength) {
          throw ApiException.badRequest(
              "Parameter '" + parameter.getKey() + "' is longer than " + maxLength);
        }
      }
    }
    return new Parameters(values);
  }

  /** Every value of a repeatable parameter, in the order given. */
  List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  /** The one value of {@code name}, or null if absent. */
  String optional(String name) {
    List<String> given = all(name);
    if (given.size() > 1) {
      throw ApiException.badRequest("Parameter '" + name + "' is given more than once");
    }
    return given.isEmpty() ? null : given.get(0);
  }

  String required(String name) {
    String value = optional(name);
    if (value == null || value.isEmpty()) {
      throw ApiException.badRequest("Parameter '" + name + "' is required");
    }
    return value;
  }

  /** An ISO-8601 instant ({@code 2026-11-26T10:00:00Z}, or with an offset) as epoch ms. */
  long requiredTime(String name) {
    String value = required(name);
    Instant time;
    try {
      time = Instant.parse(value);
    } catch (DateTimeException utcOnly) {
      try {
        time = OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeException e) {
        throw ApiException.badRequest(
            "Parameter '" + name + "' is not an ISO-8601 time such as 2026-11-26T10:00:00Z: '"
                + shortened(value) + "'");
      }
    }
    if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
      throw ApiException.badRequest(
          "Parameter '" + name + "' must be between years 0000 and 9999: '" + shortened(value)
              + "'");
    }
    return time.toEpochMilli();
  }

  /** An integer in [min, max], or {@code fallback} if absent. */
  int intBetween(String name, int min, int max, int fallback) {
    String value = optional(name);
    if (value == null) {
      return fallback;
    }
    int number;
    try {
      number = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "Parameter '" + name + "' is not an integer: '" + shortened(value) + "'");
    }
    if (number < min || number > max) {
      throw ApiException.badRequest(
          "Parameter '" + name + "' must be between " + min + " and " + max + ", was " + number);
    }
    return number;
  }

  /** At most 80 characters of {@code value}, for error messages. */
  static String shortened(String value) {
    return value.length() <= 80 ? value : value.substring(0, 80) + "…";
  }
}
