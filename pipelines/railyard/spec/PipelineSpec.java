package railyard.spec;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.joda.time.Duration;
import railyard.schema.DeclaredSchema;
import railyard.schema.ViewSpec;

/**
 * One pipeline, as declared in its YAML spec: the same value drives the batch job, the streaming
 * job and the Dataflow template. Load one with {@link SpecLoader}; apply command-line options with
 * {@link #withOverrides(SpecOverrides)}.
 *
 * @param name the pipeline's name, used in lake paths and metrics
 * @param file the spec file it was loaded from, for messages
 * @param allowedLateness how long after a window closes late events still count, for views that do
 *     not set their own
 * @param alerts the alert rules, the watchdog's freshness and where alerts go
 */
public record PipelineSpec(
    String name,
    String file,
    SourceSpec source,
    DeclaredSchema schema,
    EventTimeSpec eventTime,
    DedupeSpec dedupe,
    Duration allowedLateness,
    Limits limits,
    Outputs outputs,
    List<ViewSpec> views,
    AlertsSpec alerts)
    implements Serializable {

  public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.standardMinutes(5);

  public PipelineSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(dedupe, "dedupe");
    Objects.requireNonNull(allowedLateness, "allowedLateness");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(outputs, "outputs");
    views = List.copyOf(views);
    Objects.requireNonNull(alerts, "alerts");
  }

  public Optional<ViewSpec> view(String viewName) {
    return views.stream().filter(v -> v.name().equals(viewName)).findFirst();
  }

  /** This spec with the command-line options that were given replacing what the file says. */
  public PipelineSpec withOverrides(SpecOverrides overrides) {
    Outputs overridden = overrides.applyTo(outputs);
    return new PipelineSpec(
        name,
        file,
        source.withGenerator(overrides.applyTo(source.generator())),
        schema,
        eventTime,
        dedupe,
        allowedLateness,
        limits,
        overridden,
        views,
        alerts.withServing(overridden.serving()));
  }
}
