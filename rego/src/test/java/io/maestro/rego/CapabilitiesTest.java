package io.maestro.rego;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.rego.builtins.Signature;
import io.maestro.rego.builtins.StandardLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checks the engine's builtins against OPA's published capabilities (test resource
 * capabilities/opa-v1.20.2-builtins.txt): every non-deprecated builtin is registered, with the same
 * declaration, and the capabilities JSON is written as OPA writes it.
 */
class CapabilitiesTest {
  private static final String OPA = "/capabilities/opa-v1.20.2-builtins.txt";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** OPA's builtins by name, each as the text of its declaration line. */
  static Map<String, String> opaBuiltins() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (InputStream in = CapabilitiesTest.class.getResourceAsStream(OPA)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          int paren = line.indexOf('(');
          out.put(line.substring(0, paren), line.substring(paren));
        }
      }
    }
    return out;
  }

  @Test
  void everyNonDeprecatedOpaBuiltin_isRegistered() throws IOException {
    Map<String, StandardLibrary.Entry> engine = Rego.standardLibrary();
    List<String> missing = new ArrayList<>();
    opaBuiltins()
        .forEach(
            (name, decl) -> {
              if (!Signature.parse(decl).deprecated() && !engine.containsKey(name)) {
                missing.add(name);
              }
            });
    assertThat(opaBuiltins()).hasSizeGreaterThan(200);
    assertThat(missing).as("OPA builtins the engine does not register").isEmpty();
  }

  @Test
  void registeredDeclarations_matchOpa() throws IOException {
    Map<String, StandardLibrary.Entry> engine = Rego.standardLibrary();
    List<String> differ = new ArrayList<>();
    opaBuiltins()
        .forEach(
            (name, decl) -> {
              StandardLibrary.Entry e = engine.get(name);
              if (e != null && !e.signature().equals(Signature.parse(decl))) {
                differ.add(name + ": OPA " + decl + ", engine " + e.signature());
              }
            });
    assertThat(differ).as("declarations that differ from OPA's").isEmpty();
  }

  @Test
  void onlyOpaBuiltins_areReportedAsCapabilities() throws IOException {
    Map<String, String> opa = opaBuiltins();
    List<String> unknown = new ArrayList<>();
    Capabilities.current()
        .get("builtins")
        .forEach(
            b -> {
              if (!opa.containsKey(b.get("name").asText())) {
                unknown.add(b.get("name").asText());
              }
            });
    assertThat(unknown).isEmpty();
  }

  @Test
  void declarationText_readsBackUnchanged() throws IOException {
    opaBuiltins()
        .forEach((name, decl) -> assertThat(Signature.parse(decl).toString()).isEqualTo(decl));
  }

  /** Expected JSON copied from OPA's v1.20.2 capabilities file (key order as OPA writes it). */
  @Test
  void capabilitiesJson_isWrittenInOpaFormat() throws IOException {
    Map<String, String> opa = opaBuiltins();
    assertOpaJson(
        "json.marshal_with_options",
        opa,
        """
        {"name":"json.marshal_with_options","decl":{"args":[{"type":"any"},
         {"dynamic":{"key":{"type":"string"},"value":{"type":"any"}},
          "static":[{"key":"indent","value":{"type":"string"}},{"key":"prefix","value":{"type":"string"}},
                    {"key":"pretty","value":{"type":"boolean"}}],"type":"object"}],
         "result":{"type":"string"},"type":"function"}}""");
    assertOpaJson(
        "and",
        opa,
        """
        {"name":"and","decl":{"args":[{"of":{"type":"any"},"type":"set"},{"of":{"type":"any"},"type":"set"}],
         "result":{"of":{"type":"any"},"type":"set"},"type":"function"},"infix":"&"}""");
    assertOpaJson(
        "print",
        opa,
        """
        {"name":"print","decl":{"type":"function","variadic":{"type":"any"}}}""");
    assertOpaJson(
        "time.now_ns",
        opa,
        """
        {"name":"time.now_ns","decl":{"result":{"type":"number"},"type":"function"},"nondeterministic":true}""");
    assertOpaJson(
        "walk",
        opa,
        """
        {"name":"walk","decl":{"args":[{"type":"any"}],"result":{"static":[{"dynamic":{"type":"any"},"type":"array"},
         {"type":"any"}],"type":"array"},"type":"function"},"relation":true}""");
    assertOpaJson(
        "internal.print",
        opa,
        """
        {"name":"internal.print","decl":{"args":[{"dynamic":{"of":{"type":"any"},"type":"set"},"type":"array"}],
         "type":"function"}}""");
    assertOpaJson(
        "graph.reachable",
        opa,
        """
        {"name":"graph.reachable","decl":{"args":[{"dynamic":{"key":{"type":"any"},"value":{"of":[
         {"dynamic":{"type":"any"},"type":"array"},{"of":{"type":"any"},"type":"set"}],"type":"any"}},"type":"object"},
         {"of":[{"dynamic":{"type":"any"},"type":"array"},{"of":{"type":"any"},"type":"set"}],"type":"any"}],
         "result":{"of":{"type":"any"},"type":"set"},"type":"function"}}""");
  }

  @Test
  void capabilities_listKeywordsAndFeaturesButNoWasm() {
    JsonNode caps = Capabilities.current();
    assertThat(caps.get("future_keywords")).hasSize(4);
    assertThat(caps.get("features").toString()).contains("rego_v1", "template_strings");
    assertThat(caps.get("wasm_abi_versions")).isEmpty();
    assertThat(caps.toString()).doesNotContain("internal.const");
  }

  @Test
  void currentJson_isIndentedAndEscapedLikeOpasFile() {
    String json = Capabilities.currentJson();
    assertThat(json)
        .startsWith("{\n  \"builtins\": [\n    {\n      \"name\": \"abs\",\n      \"decl\": {")
        .contains("\"infix\": \"\\u0026\"", "\"wasm_abi_versions\": [],")
        .endsWith("  ]\n}\n");
  }

  private static void assertOpaJson(String name, Map<String, String> opa, String expected)
      throws IOException {
    String fromOpaList = Capabilities.builtin(name, Signature.parse(opa.get(name))).toString();
    String fromEngine =
        Capabilities.builtin(name, Rego.standardLibrary().get(name).signature()).toString();
    String want = JSON.readTree(expected).toString();
    assertThat(fromOpaList).isEqualTo(want);
    assertThat(fromEngine).isEqualTo(want);
  }
}
