package io.maestro.policy.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.maestro.core.json.Json;
import io.maestro.policy.bundle.Bundle;
import io.maestro.policy.bundle.BundleException;
import io.maestro.policy.bundle.BundleIO;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Policy files and data loaded from the paths a user names, as {@code opa} loads them: a directory
 * is read as a bundle tree (its {@code .rego} files and {@code data.json}/{@code data.yaml} at
 * their paths), a {@code .tar.gz} as a bundle, a {@code .rego} file as a module and a {@code
 * .json}/{@code .yaml} file as data at the root. Module names are the paths as the user wrote them,
 * so every message points at a file the user can open.
 */
public record PolicySources(
    Map<String, String> modules,
    ObjectNode data,
    List<Bundle> bundles,
    Map<String, String> bundlePaths) {
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final YAMLMapper YAML = new YAMLMapper();

  public PolicySources {
    modules = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(modules));
    data = data.deepCopy();
    bundles = List.copyOf(bundles);
    bundlePaths = Map.copyOf(bundlePaths);
  }

  /** The path of a module inside its bundle (what docs and the catalog show), else its name. */
  public String bundlePath(String module) {
    return bundlePaths.getOrDefault(module, module);
  }

  public static PolicySources load(List<Path> paths) {
    Map<String, String> modules = new LinkedHashMap<>();
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    List<Bundle> bundles = new java.util.ArrayList<>();
    Map<String, String> bundlePaths = new LinkedHashMap<>();
    for (Path p : paths) {
      String name = p.toString();
      if (Files.isDirectory(p) || name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
        Bundle b = BundleIO.read(p);
        bundles.add(b);
        String prefix = Files.isDirectory(p) ? p.toString() : name;
        boolean dir = Files.isDirectory(p);
        b.modules()
            .forEach(
                (rel, src) -> {
                  String key = dir ? Path.of(prefix, rel).toString() : prefix + "/" + rel;
                  modules.put(key, src);
                  bundlePaths.put(key, rel);
                });
        merge(data, b.data(), name);
      } else if (name.endsWith(".rego")) {
        modules.put(name, read(p));
      } else if (name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml")) {
        JsonNode d;
        try {
          d = name.endsWith(".json") ? JSON.readTree(read(p)) : YAML.readTree(read(p));
        } catch (IOException e) {
          throw new BundleException(
              name + ": not valid " + (name.endsWith(".json") ? "JSON" : "YAML") + location(e));
        }
        if (d == null || !d.isObject()) {
          throw new BundleException(name + ": data files must hold an object");
        }
        merge(data, (ObjectNode) d, name);
      } else if (!Files.exists(p)) {
        throw new BundleException(name + ": no such file or directory");
      } else {
        throw new BundleException(name + ": not a policy, data file, directory or bundle");
      }
    }
    return new PolicySources(modules, data, bundles, bundlePaths);
  }

  private static String location(IOException e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
        && j.getLocation() != null) {
      return " at " + j.getLocation().getLineNr() + ":" + j.getLocation().getColumnNr();
    }
    return "";
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BundleException(p + ": cannot read: " + e.getMessage());
    }
  }

  private static void merge(ObjectNode target, ObjectNode source, String from) {
    source
        .properties()
        .forEach(
            e -> {
              JsonNode existing = target.get(e.getKey());
              if (existing == null) {
                target.set(e.getKey(), e.getValue().deepCopy());
              } else if (existing.isObject() && e.getValue().isObject()) {
                merge((ObjectNode) existing, (ObjectNode) e.getValue(), from);
              } else {
                throw new BundleException(from + ": data conflicts at key '" + e.getKey() + "'");
              }
            });
  }
}
