package io.maestro.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.maestro.cli.CliRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/terraform without terraform (not installable on the build machines, and its providers
 * cannot be fetched): every file parses with a real HCL parser (hcl4j), every variable is declared
 * once with a type and a description and used, every reference names a declared variable, local,
 * resource or output, the example sets only declared variables and every required one, and the JSON
 * the module sends matches the request schemas of docs/api/openapi.yaml — so the module and the API
 * cannot drift apart unnoticed. {@code .ci/run} adds {@code terraform fmt -check} and {@code
 * terraform validate} where terraform is installed.
 */
class TerraformModuleTest {
  static final Path DIR = CliRunner.root().resolve("deploy/terraform");
  static final Pattern VAR = Pattern.compile("\\bvar\\.([A-Za-z_][A-Za-z0-9_]*)");
  static final Pattern LOCAL = Pattern.compile("\\blocal\\.([A-Za-z_][A-Za-z0-9_]*)");
  static final Pattern RESOURCE = Pattern.compile("\\brestapi_object\\.([A-Za-z_][A-Za-z0-9_]*)");

  @Test
  void everyFile_parsesAsHcl() throws Exception {
    List<Path> files = tfFiles(DIR);
    assertThat(files)
        .extracting(p -> DIR.relativize(p).toString())
        .contains("versions.tf", "variables.tf", "main.tf", "outputs.tf", "examples/saas/main.tf");
    for (Path f : files) {
      Map<String, Object> parsed = parse(f);
      assertThat(parsed).as(f + " parses to blocks").isNotEmpty();
    }
    Map<String, Object> versions = parse(DIR.resolve("versions.tf"));
    assertThat(versions.toString()).contains("Mastercard/restapi");
  }

  @Test
  void variables_areDeclaredTypedDescribedAndUsed() throws Exception {
    Map<String, Map<String, Object>> vars = blocks(parse(DIR.resolve("variables.tf")), "variable");
    assertThat(vars.keySet())
        .containsExactlyInAnyOrder(
            "maestro_url", "maestro_token", "request_timeout_seconds", "tenants", "metering_sinks");
    String variablesText = Files.readString(DIR.resolve("variables.tf"));
    for (var e : vars.entrySet()) {
      assertThat(e.getValue()).as(e.getKey() + " has a description").containsKey("description");
      int from = variablesText.indexOf("variable \"" + e.getKey() + "\"");
      int to = variablesText.indexOf("\nvariable \"", from + 1);
      assertThat(variablesText.substring(from, to < 0 ? variablesText.length() : to))
          .as(e.getKey() + " declares a type")
          .containsPattern("(?m)^  type\\s+=");
    }
    assertThat(variablesText).contains("sensitive   = true");

    // Used: referenced by the module's resources or outputs, not only by its own validations.
    Set<String> used = new TreeSet<>();
    for (String f : List.of("main.tf", "outputs.tf")) {
      used.addAll(matches(VAR, text(DIR.resolve(f))));
    }
    assertThat(used).as("variables the module uses").isEqualTo(vars.keySet());
    // Referenced only if declared: also inside validations.
    assertThat(vars.keySet()).containsAll(matches(VAR, text(DIR.resolve("variables.tf"))));
  }

  @Test
  void localsResourcesAndOutputs_referOnlyToWhatExists() throws Exception {
    Map<String, Object> main = parse(DIR.resolve("main.tf"));
    assertThat(main).containsKey("locals");
    // hcl4j 0.9.8 parses for-expressions but nests the attributes that follow one with an object
    // body inside it, so the locals' names come from the text: the attributes of the block.
    String text = text(DIR.resolve("main.tf"));
    int block = text.indexOf("\nlocals {\n");
    String body = text.substring(block, text.indexOf("\n}\n", block));
    Set<String> locals = matches(Pattern.compile("(?m)^  ([a-z_]+)\\s*="), body);
    assertThat(locals)
        .containsExactlyInAnyOrder(
            "quotas",
            "budget",
            "tenant_create_fields",
            "tenant_patch_fields",
            "tenant_create",
            "tenant_patch");
    assertThat(matches(LOCAL, text(DIR.resolve("main.tf")))).isEqualTo(locals);

    Map<String, Map<String, Object>> resources = blocks(main, "resource");
    assertThat(resources).containsOnlyKeys("restapi_object");
    @SuppressWarnings("unchecked")
    Set<String> objects =
        ((Map<String, Object>) (Map<?, ?>) resources.get("restapi_object")).keySet();
    assertThat(objects).containsExactlyInAnyOrder("tenant", "metering_sink");
    Set<String> referenced = new TreeSet<>();
    referenced.addAll(matches(RESOURCE, text(DIR.resolve("main.tf"))));
    referenced.addAll(matches(RESOURCE, text(DIR.resolve("outputs.tf"))));
    assertThat(objects).containsAll(referenced);

    Map<String, Map<String, Object>> outputs = blocks(parse(DIR.resolve("outputs.tf")), "output");
    assertThat(outputs.keySet())
        .containsExactlyInAnyOrder(
            "tenant_partitions", "metering_sink_ids", "metering_sink_secrets");
    outputs.forEach(
        (name, o) -> assertThat(o).as(name + " has a description").containsKey("description"));
    assertThat(outputs.get("metering_sink_secrets")).containsEntry("sensitive", true);
  }

  @Test
  void example_setsDeclaredVariablesAndEveryRequiredOne() throws Exception {
    Map<String, Map<String, Object>> vars = blocks(parse(DIR.resolve("variables.tf")), "variable");
    Map<String, Map<String, Object>> modules =
        blocks(parse(DIR.resolve("examples/saas/main.tf")), "module");
    Map<String, Object> module = modules.get("maestro");
    assertThat(module).as("examples/saas calls the module").isNotNull();
    assertThat(module.get("source")).isEqualTo("../..");
    Set<String> args = new TreeSet<>(module.keySet());
    args.remove("source");
    assertThat(vars.keySet()).containsAll(args);
    for (var e : vars.entrySet()) {
      if (!e.getValue().containsKey("default")) {
        assertThat(args).as("the example sets required " + e.getKey()).contains(e.getKey());
      }
    }
  }

  @Test
  void requestBodies_matchTheApiDocument() throws Exception {
    JsonNode api =
        new ObjectMapper(new YAMLFactory())
            .readTree(CliRunner.root().resolve("docs/api/openapi.yaml").toFile());
    String main = text(DIR.resolve("main.tf"));

    Set<String> create = objectKeys(main, "tenant_create_fields = {", "=> {");
    Set<String> patch = objectKeys(main, "tenant_patch_fields = {", "=> {");
    Set<String> sink = objectKeys(main, "data = jsonencode({", "");
    assertThat(create).contains("id", "name", "quotas", "budget", "regions");
    assertThat(patch).contains("status", "quotas", "budget", "regions");
    assertThat(sink).containsExactlyInAnyOrder("url", "eventTypes");

    assertThat(properties(api, "/api/tenants", "post")).containsAll(create);
    assertThat(properties(api, "/api/tenants/{id}", "patch")).containsAll(patch);
    assertThat(properties(api, "/api/billing/webhooks", "post")).containsAll(sink);

    // The quota attributes the variables accept are the API's Quotas.
    Set<String> quotas = new TreeSet<>();
    api.at("/components/schemas/Quotas/properties").fieldNames().forEachRemaining(quotas::add);
    String variables = text(DIR.resolve("variables.tf"));
    Set<String> declared =
        matches(Pattern.compile("\\b(max_[a-z_]+)\\s*=\\s*optional\\(number\\)"), variables);
    assertThat(declared).isEqualTo(quotas);

    // The event types a sink may subscribe to are the API's enum, no more and no fewer.
    Set<String> events = new TreeSet<>();
    schema(api, "/api/billing/webhooks", "post")
        .at("/properties/eventTypes/items/enum")
        .forEach(n -> events.add(n.asText()));
    Matcher list =
        Pattern.compile("contains\\(\\[([^\\]]*)\\],\\s*e\\)", Pattern.DOTALL).matcher(variables);
    assertThat(list.find()).as("variables.tf lists the event types").isTrue();
    assertThat(matches(Pattern.compile("\"([a-z_]+)\""), list.group(1))).isEqualTo(events);

    // The tenant id pattern is the API's.
    String pattern = api.at("/components/parameters/Tenant/schema/pattern").asText();
    assertThat(variables).contains("regex(\"" + pattern + "\", id)");
  }

  // ---

  private static Map<String, Object> parse(Path f) throws Exception {
    return new HCLParser().parse(f.toFile(), "UTF-8");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> blocks(Map<String, Object> parsed, String kind) {
    Object b = parsed.get(kind);
    assertThat(b).as("a " + kind + " block").isInstanceOf(Map.class);
    return (Map<String, Map<String, Object>>) b;
  }

  private static List<Path> tfFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".tf")).sorted().toList();
    }
  }

  /** The file without comments, so a commented-out reference counts for nothing. */
  private static String text(Path f) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(f)) {
      String t = line.strip();
      if (!t.startsWith("#") && !t.startsWith("//")) {
        lines.add(line);
      }
    }
    return String.join("\n", lines);
  }

  private static Set<String> matches(Pattern p, String text) {
    Set<String> out = new TreeSet<>();
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /**
   * The keys at the top level of the object literal that opens after {@code marker} (and then
   * {@code then}, when given): the JSON object a request sends.
   */
  private static Set<String> objectKeys(String text, String marker, String then) {
    int at = text.indexOf(marker);
    assertThat(at).as("main.tf has " + marker).isNotNegative();
    int open =
        then.isEmpty() ? at + marker.length() - 1 : text.indexOf(then, at) + then.length() - 1;
    assertThat(text.charAt(open)).isEqualTo('{');
    Set<String> keys = new LinkedHashSet<>();
    int depth = 0;
    StringBuilder line = new StringBuilder();
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{' || c == '(' || c == '[') {
        depth++;
      } else if (c == '}' || c == ')' || c == ']') {
        depth--;
        if (depth == 0) {
          break;
        }
      } else if (c == '\n') {
        Matcher m = Pattern.compile("^\\s*([A-Za-z_]+)\\s*=").matcher(line);
        if (m.find()) {
          keys.add(m.group(1));
        }
        line.setLength(0);
        continue;
      }
      if (depth == 1) {
        line.append(c);
      }
    }
    return keys;
  }

  private static JsonNode schema(JsonNode api, String path, String method) {
    JsonNode op = api.path("paths").path(path).path(method);
    assertThat(op.isMissingNode()).as(method + " " + path + " in the API document").isFalse();
    return op.at("/requestBody/content/application~1json/schema");
  }

  private static Set<String> properties(JsonNode api, String path, String method) {
    Set<String> out = new TreeSet<>();
    schema(api, path, method).path("properties").fieldNames().forEachRemaining(out::add);
    assertThat(out).as("request properties of " + method + " " + path).isNotEmpty();
    return out;
  }
}
