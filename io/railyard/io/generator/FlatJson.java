package railyard.io.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a flat JSON object of strings, longs, doubles and booleans byte for byte as Jackson's
 * {@code ObjectMapper.writeValueAsBytes} writes the same values in a {@code LinkedHashMap}, without
 * the map, the serializer lookups or the generator: a generated event is mostly this, and the
 * source must not cost more than the pipeline behind it.
 *
 * <p>Names are encoded once, by Jackson. A string value made only of printable ASCII other than
 * {@code "} and {@code \} is copied as it is, which is what Jackson writes for it; any other string
 * is handed to Jackson, so escapes and UTF-8 stay Jackson's own.
 */
final class FlatJson implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

  /** Per field: {@code "name":} as Jackson writes it, with the comma before it after the first. */
  private final byte[][] keys;
  private final int sizeHint;

  FlatJson(List<String> names) {
    keys = new byte[names.size()][];
    int hint = 2;
    for (int i = 0; i < keys.length; i++) {
      byte[] quoted = jackson(names.get(i));
      int comma = i == 0 ? 0 : 1;
      byte[] key = new byte[comma + quoted.length + 1];
      key[0] = ',';
      System.arraycopy(quoted, 0, key, comma, quoted.length);
      key[key.length - 1] = ':';
      keys[i] = key;
      hint += key.length + 24;
    }
    sizeHint = hint;
  }

  /** The object whose i-th entry is the i-th name and {@code values[i]}. */
  byte[] write(Object[] values) {
    if (values.length != keys.length) {
      throw new IllegalArgumentException(keys.length + " names but " + values.length + " values");
    }
    Out out = new Out(sizeHint);
    out.put((byte) '{');
    for (int i = 0; i < keys.length; i++) {
      out.put(keys[i]);
      value(out, values[i]);
    }
    out.put((byte) '}');
    return out.bytes();
  }

  /** A string value whose JSON form is made once, for values written again and again (keys). */
  record Text(String value, byte[] json) implements Serializable {
    static Text of(String value) {
      Out out = new Out(value.length() + 2);
      string(out, value);
      return new Text(value, out.bytes());
    }

    @Override
    public String toString() {
      return value;
    }
  }

  /**
   * The string {@code prefix + number} (an event id), written without making it. Its JSON is the
   * prefix's without the closing quote, the digits and a quote, as Jackson escapes char by char.
   */
  record Numbered(Text prefix, long number) {
    Numbered {
      byte[] json = prefix.json();
      if (json.length < 2 || json[0] != '"' || json[json.length - 1] != '"') {
        throw new IllegalArgumentException("not a JSON string: " + prefix.value());
      }
    }

    @Override
    public String toString() {
      return prefix.value() + number;
    }
  }

  /** {@code value}, unwrapped from {@link Text} and {@link Numbered}, for Jackson and the map. */
  static Object plain(Object value) {
    return value instanceof Text || value instanceof Numbered ? value.toString() : value;
  }

  private static void value(Out out, Object value) {
    if (value instanceof Text t) {
      out.put(t.json());
    } else if (value instanceof Numbered n) {
      byte[] prefix = n.prefix().json();
      System.arraycopy(prefix, 0, out.reserve(prefix.length), out.size, prefix.length - 1);
      out.size += prefix.length - 1;
      decimal(out, n.number());
      out.put((byte) '"');
    } else if (value instanceof String s) {
      string(out, s);
    } else if (value instanceof Long l) {
      decimal(out, l);
    } else if (value instanceof Double d && Double.isFinite(d)) {
      // Jackson writes a finite double as Double.toString does.
      ascii(out, Double.toString(d));
    } else if (value instanceof Boolean b) {
      out.put(b ? TRUE : FALSE);
    } else {
      out.put(jackson(value));
    }
  }

  private static void string(Out out, String s) {
    int n = s.length();
    int start = out.size;
    byte[] buf = out.reserve(n + 2);
    int at = start;
    buf[at++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
        out.size = start;
        out.put(jackson(s));
        return;
      }
      buf[at++] = (byte) c;
    }
    buf[at++] = '"';
    out.size = at;
  }

  /** A long in decimal, as Long.toString writes it. */
  private static void decimal(Out out, long v) {
    if (v == Long.MIN_VALUE) {
      ascii(out, Long.toString(v));
      return;
    }
    int digits = 1;
    for (long rest = Math.abs(v) / 10; rest > 0; rest /= 10) {
      digits++;
    }
    int size = v < 0 ? digits + 1 : digits;
    byte[] buf = out.reserve(size);
    int end = out.size + size;
    long rest = Math.abs(v);
    for (int i = end - 1; i >= end - digits; i--) {
      buf[i] = (byte) ('0' + rest % 10);
      rest /= 10;
    }
    if (v < 0) {
      buf[out.size] = '-';
    }
    out.size = end;
  }

  /** A string known to be ASCII (a number's digits), as bytes. */
  private static void ascii(Out out, String s) {
    int n = s.length();
    byte[] buf = out.reserve(n);
    int at = out.size;
    for (int i = 0; i < n; i++) {
      buf[at + i] = (byte) s.charAt(i);
    }
    out.size = at + n;
  }

  private static byte[] jackson(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a generated value", e);
    }
  }

  /** A growable byte buffer, one per document. */
  private static final class Out {
    private byte[] buf;
    private int size;

    Out(int capacity) {
      buf = new byte[capacity];
    }

    byte[] reserve(int more) {
      if (size + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(size + more, buf.length * 2));
      }
      return buf;
    }

    void put(byte b) {
      reserve(1)[size++] = b;
    }

    void put(byte[] bytes) {
      System.arraycopy(bytes, 0, reserve(bytes.length), size, bytes.length);
      size += bytes.length;
    }

    byte[] bytes() {
      return Arrays.copyOf(buf, size);
    }
  }
}
