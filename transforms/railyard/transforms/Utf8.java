package railyard.transforms;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A strict UTF-8 check — well-formed as Unicode's table 3-7 defines it: no overlongs, surrogates
 * or values past U+10FFFF — fast on the ASCII bytes that make up most JSON.
 */
public final class Utf8 {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8() {}

  public static boolean isValid(byte[] bytes) {
    return isValid(bytes, 0, bytes.length);
  }

  public static boolean isValid(byte[] b, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (i < end) {
      // JSON is mostly ASCII: step over eight ASCII bytes at a time.
      while (i + 8 <= end && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
        i += 8;
      }
      if (i >= end) {
        break;
      }
      int lead = b[i] & 0xFF;
      if (lead < 0x80) {
        i++;
        continue;
      }
      // The second byte's range depends on the lead; the others are always 80..BF.
      int trailing;
      int lo = 0x80;
      int hi = 0xBF;
      if (lead >= 0xC2 && lead <= 0xDF) {
        trailing = 1;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        trailing = 2;
        lo = lead == 0xE0 ? 0xA0 : 0x80;
        hi = lead == 0xED ? 0x9F : 0xBF;
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        trailing = 3;
        lo = lead == 0xF0 ? 0x90 : 0x80;
        hi = lead == 0xF4 ? 0x8F : 0xBF;
      } else {
        return false;
      }
      if (end - i <= trailing) {
        return false;
      }
      int second = b[i + 1] & 0xFF;
      if (second < lo || second > hi) {
        return false;
      }
      for (int k = 2; k <= trailing; k++) {
        if ((b[i + k] & 0xC0) != 0x80) {
          return false;
        }
      }
      i += trailing + 1;
    }
    return true;
  }
}
