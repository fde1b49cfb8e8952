package railyard.spec;

import java.io.Serializable;
import javax.annotation.Nullable;
import railyard.io.generator.GeneratorConfig;

/**
 * Command-line options that replace parts of a spec; each one left null keeps the spec's value.
 * Start from {@link #none()} and add what was given: {@code
 * SpecOverrides.none().withLake(opts.getLake()).withEvents(opts.getEvents())} (null arguments are
 * fine and change nothing).
 */
public record SpecOverrides(
    @Nullable String lake,
    @Nullable String warehouse,
    @Nullable String serving,
    @Nullable Long events,
    @Nullable Double rate,
    @Nullable Long seed)
    implements Serializable {

  public SpecOverrides {
    if (events != null && events < 0) {
      throw new IllegalArgumentException("events override must be >= 0, got " + events);
    }
    if (rate != null && !(rate >= 0)) {
      throw new IllegalArgumentException("rate override must be >= 0, got " + rate);
    }
  }

  public static SpecOverrides none() {
    return new SpecOverrides(null, null, null, null, null, null);
  }

  public SpecOverrides withLake(@Nullable String value) {
    return new SpecOverrides(value, warehouse, serving, events, rate, seed);
  }

  public SpecOverrides withWarehouse(@Nullable String value) {
    return new SpecOverrides(lake, value, serving, events, rate, seed);
  }

  public SpecOverrides withServing(@Nullable String value) {
    return new SpecOverrides(lake, warehouse, value, events, rate, seed);
  }

  public SpecOverrides withEvents(@Nullable Long value) {
    return new SpecOverrides(lake, warehouse, serving, value, rate, seed);
  }

  public SpecOverrides withRate(@Nullable Double value) {
    return new SpecOverrides(lake, warehouse, serving, events, value, seed);
  }

  public SpecOverrides withSeed(@Nullable Long value) {
    return new SpecOverrides(lake, warehouse, serving, events, rate, value);
  }

  Outputs applyTo(Outputs outputs) {
    return new Outputs(
        pick(lake, outputs.lake()),
        pick(warehouse, outputs.warehouse()),
        pick(serving, outputs.serving()));
  }

  GeneratorConfig applyTo(GeneratorConfig g) {
    return new GeneratorConfig(
        pick(seed, g.seed()),
        pick(events, g.events()),
        g.eventsPerSecond(),
        pick(rate, g.rate()),
        g.start(),
        g.duplicateShare(),
        g.malformedShare(),
        g.lateShare(),
        g.maxOutOfOrder(),
        g.maxLateness());
  }

  private static <T> T pick(@Nullable T override, T value) {
    return override != null ? override : value;
  }
}
