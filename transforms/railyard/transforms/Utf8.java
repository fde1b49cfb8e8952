package railyard.transforms;

/** A strict UTF-8 check, fast on the ASCII bytes that make up most JSON. */
final class Utf8 {
  private Utf8() {}

  /** Whether {@code bytes} is well-formed UTF-8: no overlongs, surrogates or values past U+10FFFF. */
  static boolean isValid(byte[] bytes) {
    int i = 0;
    int n = bytes.length;
    while (i < n) {
      int b = bytes[i];
      if (b >= 0) {
        i++;
        continue;
      }
      int lead = b & 0xFF;
      int continuation;
      int min;
      if (lead >= 0xC2 && lead <= 0xDF) {
        continuation = 1;
        min = 0x80;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        continuation = 2;
        min = 0x800;
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        continuation = 3;
        min = 0x10000;
      } else {
        return false;
      }
      if (i + continuation >= n) {
        return false;
      }
      int codePoint = lead & (0x3F >> continuation);
      for (int k = 1; k <= continuation; k++) {
        int next = bytes[i + k] & 0xFF;
        if ((next & 0xC0) != 0x80) {
          return false;
        }
        codePoint = (codePoint << 6) | (next & 0x3F);
      }
      if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
        return false;
      }
      i += continuation + 1;
    }
    return true;
  }
}
