package railyard.templates;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.pipelines.RailyardOnDataflow;
import railyard.pipelines.RailyardOptions;
import railyard.spec.SourceSpec;

/**
 * The Flex Template specs in templates/ offer exactly the job's options, with the options' own
 * {@code @Description} as help text: change one and this fails until the other follows.
 */
@RunWith(JUnit4.class)
public class FlexTemplateMetadataTest {
  private static final Path STREAMING = Path.of("templates/railyard-streaming.json");
  private static final Path BATCH = Path.of("templates/railyard-batch.json");

  /** Option name → [help text, required], read from {@link RailyardOptions}' getters. */
  private static Map<String, Option> options() {
    Map<String, Option> options = new TreeMap<>();
    for (Method getter : RailyardOptions.class.getDeclaredMethods()) {
      Description description = getter.getAnnotation(Description.class);
      if (description == null || !getter.getName().startsWith("get")) {
        continue;
      }
      String name =
          Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
      options.put(
          name,
          new Option(
              description.value(), getter.getAnnotation(Validation.Required.class) != null));
    }
    return options;
  }

  private record Option(String help, boolean required) {}

  private static Map<String, JsonNode> parameters(Path template) throws IOException {
    JsonNode metadata = new ObjectMapper().readTree(Files.readString(template));
    Map<String, JsonNode> parameters = new TreeMap<>();
    for (JsonNode parameter : metadata.get("parameters")) {
      parameters.put(parameter.get("name").asText(), parameter);
    }
    return parameters;
  }

  private static void assertAgreesWithOptions(Path template) throws IOException {
    Map<String, Option> options = options();
    Map<String, JsonNode> parameters = parameters(template);
    assertThat(template + " parameters vs RailyardOptions", parameters.keySet(), equalTo(options.keySet()));
    for (Map.Entry<String, Option> option : options.entrySet()) {
      JsonNode parameter = parameters.get(option.getKey());
      assertThat(
          template + ": helpText of '" + option.getKey() + "' must be its @Description",
          parameter.path("helpText").asText(),
          equalTo(option.getValue().help()));
      if (!option.getKey().equals("mode")) {
        assertThat(
            template + ": isOptional of '" + option.getKey() + "'",
            parameter.path("isOptional").asBoolean(),
            is(!option.getValue().required()));
      }
    }
  }

  @Test
  public void streamingTemplateOffersExactlyTheJobsOptionsWithTheirDescriptions() throws IOException {
    assertAgreesWithOptions(STREAMING);
  }

  @Test
  public void batchTemplateOffersExactlyTheJobsOptionsWithTheirDescriptions() throws IOException {
    assertAgreesWithOptions(BATCH);
  }

  @Test
  public void everyParameterHasALabelHelpTextAGroupAndRegexesThatCompile() throws IOException {
    for (Path template : new Path[] {STREAMING, BATCH}) {
      for (JsonNode parameter : parameters(template).values()) {
        String where = template + " parameter " + parameter.get("name").asText();
        assertThat(where + " label", parameter.path("label").asText(), not(emptyOrNullString()));
        assertThat(where + " helpText", parameter.path("helpText").asText(), not(emptyOrNullString()));
        assertThat(where + " groupName", parameter.path("groupName").asText(), not(emptyOrNullString()));
        assertThat(where + " regexes", parameter.path("regexes").size() > 0, is(true));
        for (JsonNode regex : parameter.get("regexes")) {
          Pattern.compile(regex.asText());
        }
      }
    }
  }

  @Test
  public void eachTemplateFixesItsMode() throws IOException {
    assertThat(regex(STREAMING, "mode").matcher("streaming").matches(), is(true));
    assertThat(regex(STREAMING, "mode").matcher("batch").matches(), is(false));
    assertThat(regex(BATCH, "mode").matcher("batch").matches(), is(true));
    assertThat(regex(BATCH, "mode").matcher("streaming").matches(), is(false));
  }

  @Test
  public void regexesAcceptWhatTheJobAccepts() throws IOException {
    for (Path template : new Path[] {STREAMING, BATCH}) {
      for (SourceSpec.Kind kind : SourceSpec.Kind.values()) {
        String source = kind.name().toLowerCase(Locale.ROOT);
        assertThat(template + " source " + source, regex(template, "source").matcher(source).matches(), is(true));
      }
      assertThat(regex(template, "from").matcher("2026-01-01T00:00:00Z").matches(), is(true));
      assertThat(regex(template, "to").matcher("2026-01-01T06:30:00.250+01:00").matches(), is(true));
      assertThat(regex(template, "stopWhenIdleFor").matcher("60s").matches(), is(true));
      assertThat(regex(template, "spec").matcher("/template/examples/clickstream.yaml").matches(), is(true));
      assertThat(regex(template, "lake").matcher("gs://my-bucket/railyard/lake").matches(), is(true));
      assertThat(regex(template, "lake").matcher("/tmp/lake").matches(), is(false));
      assertThat(regex(template, "warehouse").matcher("gs://my-bucket/warehouse").matches(), is(true));
      assertThat(
          regex(template, "warehouse").matcher("bigquery:my-project:railyard").matches(), is(true));
    }
  }

  @Test
  public void onlyTheStreamingTemplateIsStreaming() throws IOException {
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(Files.readString(STREAMING)).path("streaming").asBoolean(), is(true));
    assertThat(json.readTree(Files.readString(BATCH)).path("streaming").asBoolean(), is(false));
  }

  @Test
  public void launcherImageStartsTheDataflowEntryPointOfTheShadedJar() throws IOException {
    String dockerfile = Files.readString(Path.of("templates/Dockerfile"));
    Matcher mainClass =
        Pattern.compile("(?m)^ENV FLEX_TEMPLATE_JAVA_MAIN_CLASS=(\\S+)$").matcher(dockerfile);

    assertThat(dockerfile.contains("target/railyard.jar"), is(true));
    assertThat(mainClass.find(), is(true));
    assertThat(mainClass.group(1), equalTo(RailyardOnDataflow.class.getName()));
  }

  private static Pattern regex(Path template, String name) throws IOException {
    return Pattern.compile(parameters(template).get(name).get("regexes").get(0).asText());
  }
}
