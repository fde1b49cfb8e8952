package railyard.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A view's results summed up so that two programs' results can be compared without storing them:
 * the row count, the events and spend over all rows, and an order-independent hash of every row's
 * key, window bounds and count. Equal hashes mean the same rows with the same counts; spend is
 * compared to within rounding, since floating-point sums depend on the order of addition.
 */
record ViewCheck(String view, long rows, long events, double spend, long rowHash) {

  /** One result row's contribution to {@link #rowHash}; rows combine by (wrapping) addition. */
  static long rowHash(String key, long windowStart, long windowEnd, long count) {
    long h = key.hashCode();
    h = h * 1_000_003L + windowStart;
    h = h * 1_000_003L + windowEnd;
    h = h * 1_000_003L + count;
    // A 64-bit finaliser, so that sums of row hashes do not cancel out by structure.
    h = (h ^ (h >>> 33)) * 0xFF51AFD7ED558CCDL;
    h = (h ^ (h >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return h ^ (h >>> 33);
  }

  /** The line printed before the result line: {@code BENCH-CHECK {...}}. */
  static String line(String runner, List<ViewCheck> views) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("runner", runner);
    for (ViewCheck v : views) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("rows", v.rows());
      one.put("events", v.events());
      one.put("spend", Math.round(v.spend() * 100) / 100.0);
      one.put("rowHash", Long.toHexString(v.rowHash()));
      all.put(v.view(), one);
    }
    return "BENCH-CHECK " + Json.object(all);
  }
}
