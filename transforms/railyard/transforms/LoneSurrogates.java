package railyard.transforms;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds UTF-16 surrogates without their partner in decoded JSON strings. Well-formed UTF-8 cannot
 * encode a surrogate, but JSON's {@code \\u} escapes can ({@code "x\\ud800"}): valid JSON, yet not
 * Unicode text, and any later encoding would replace it ({@code "x?"}).
 */
final class LoneSurrogates {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
  private static final long LOW_BITS = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  private LoneSurrogates() {}

  /**
   * Whether well-formed UTF-8 JSON {@code json} may hold a lone surrogate: only if it has an
   * escape, so only if it has a backslash. Most records have none, and skip every other check.
   */
  static boolean mayOccurIn(byte[] json) {
    int i = 0;
    for (; i + 8 <= json.length; i += 8) {
      long word = (long) LONGS.get(json, i) ^ BACKSLASHES; // a zero byte where a backslash was
      if (((word - LOW_BITS) & ~word & HIGH_BITS) != 0) {
        return true;
      }
    }
    for (; i < json.length; i++) {
      if (json[i] == '\\') {
        return true;
      }
    }
    return false;
  }

  /** The index of the first lone surrogate in {@code text}, or -1. */
  static int indexIn(String text) {
    int end = text.length();
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (!Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
        continue;
      }
      return i;
    }
    return -1;
  }
}
