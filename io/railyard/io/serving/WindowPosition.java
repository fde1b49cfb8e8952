package railyard.io.serving;

/** A place in a view's key-then-window order: where one page of rows ended. */
public record WindowPosition(String key, long windowStart, long windowEnd) {}
