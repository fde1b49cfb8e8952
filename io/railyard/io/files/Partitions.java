package railyard.io.files;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code dt=YYYY-MM-DD[/hr=HH]} partition paths of the lake and the warehouse, always in UTC,
 * and the directory joins that lead to them.
 */
public final class Partitions {
  public static final long HOUR_MILLIS = 3_600_000L;

  private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE;
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hr='HH").withZone(ZoneOffset.UTC);
  private static final Pattern HOURLY =
      Pattern.compile("(?:^|/)dt=(\\d{4}-\\d{2}-\\d{2})/hr=(\\d{2})(?:/|$)");

  private Partitions() {}

  /** {@code dt=YYYY-MM-DD} of the UTC day holding {@code epochMillis}. */
  public static String daily(long epochMillis) {
    return "dt=" + DAY.format(Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC));
  }

  /** {@code dt=YYYY-MM-DD/hr=HH} of the UTC hour holding {@code epochMillis}. */
  public static String hourly(long epochMillis) {
    return HOUR.format(Instant.ofEpochMilli(epochMillis));
  }

  /** The {@code dt=} partition of every UTC day that overlaps {@code [fromMillis, toMillis)}. */
  public static List<String> daysOverlapping(long fromMillis, long toMillis) {
    List<String> days = new ArrayList<>();
    if (fromMillis >= toMillis) {
      return days;
    }
    LocalDate last = utcDay(toMillis - 1);
    for (LocalDate day = utcDay(fromMillis); !day.isAfter(last); day = day.plusDays(1)) {
      days.add("dt=" + DAY.format(day));
    }
    return days;
  }

  /** Start (epoch ms) of the hour partition named in {@code path}, if it names one. */
  public static Optional<Long> hourStart(String path) {
    Matcher m = HOURLY.matcher(path.replace('\\', '/'));
    if (!m.find()) {
      return Optional.empty();
    }
    int hour = Integer.parseInt(m.group(2));
    if (hour > 23) {
      return Optional.empty();
    }
    try {
      long day = LocalDate.parse(m.group(1), DAY).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
      return Optional.of(day * 1000 + hour * HOUR_MILLIS);
    } catch (java.time.DateTimeException e) {
      return Optional.empty();
    }
  }

  /** Whether the hour partition named in {@code path} overlaps {@code [fromMillis, toMillis)}. */
  public static boolean hourOverlaps(String path, long fromMillis, long toMillis) {
    return hourStart(path)
        .map(start -> start < toMillis && start + HOUR_MILLIS > fromMillis)
        .orElse(false);
  }

  /**
   * Joins {@code segments} under {@code root} with {@code /}. Plain string work, so it needs no
   * file system registered at construction time ({@code gs://}, {@code s3://} and local paths
   * all join the same way).
   */
  public static String join(String root, String... segments) {
    StringBuilder path = new StringBuilder(root);
    for (String segment : segments) {
      if (path.length() > 0 && path.charAt(path.length() - 1) != '/') {
        path.append('/');
      }
      path.append(segment);
    }
    return path.toString();
  }

  private static LocalDate utcDay(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC).toLocalDate();
  }
}
