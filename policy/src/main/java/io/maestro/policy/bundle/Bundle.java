package io.maestro.policy.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.maestro.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An OPA bundle in memory: its files by path (no leading slash), its manifest and, when signed, its
 * {@code .signatures.json}. Immutable; byte arrays are copied in and out. Construction checks what
 * OPA checks on load: safe paths, parseable data, non-overlapping roots, and modules and data
 * inside the roots.
 */
public final class Bundle {
  public static final String MANIFEST = ".manifest";
  public static final String SIGNATURES = ".signatures.json";

  private static final ObjectMapper JSON = Json.MAPPER;
  private static final YAMLMapper YAML = new YAMLMapper();

  private final String name;
  private final Manifest manifest;
  private final SortedMap<String, byte[]> files;
  private final Optional<Signatures> signatures;
  private final ObjectNode data;
  private final Map<String, String> modules;

  /**
   * @param name how messages name this bundle (a file name or a label)
   * @param files every file except {@code .signatures.json}; {@code .manifest} included when
   *     present
   */
  public Bundle(String name, Map<String, byte[]> files, Optional<Signatures> signatures) {
    this.name = Objects.requireNonNull(name, "name");
    TreeMap<String, byte[]> copy = new TreeMap<>();
    files.forEach((p, b) -> copy.put(checkPath(p), b.clone()));
    if (copy.remove(SIGNATURES) != null) {
      throw new IllegalArgumentException("pass .signatures.json as signatures, not as a file");
    }
    this.files = Collections.unmodifiableSortedMap(copy);
    this.signatures = Objects.requireNonNull(signatures, "signatures");
    byte[] m = copy.get(MANIFEST);
    this.manifest = m == null ? Manifest.empty() : Manifest.parse(m);
    this.data = mergeData(copy);
    Map<String, String> mods = new LinkedHashMap<>();
    copy.forEach(
        (p, b) -> {
          if (p.endsWith(".rego")) {
            mods.put(p, new String(b, StandardCharsets.UTF_8));
          }
        });
    this.modules = Collections.unmodifiableMap(mods);
    validateRoots();
  }

  /** A new unsigned bundle from files and a manifest (which replaces any {@code .manifest}). */
  public static Bundle of(String name, Map<String, byte[]> files, Manifest manifest) {
    Map<String, byte[]> all = new TreeMap<>(files);
    all.remove(SIGNATURES);
    all.remove(MANIFEST);
    if (!manifest.isEmpty()) {
      all.put(MANIFEST, manifest.toBytes());
    }
    return new Bundle(name, all, Optional.empty());
  }

  public String name() {
    return name;
  }

  public Manifest manifest() {
    return manifest;
  }

  public String revision() {
    return manifest.revision();
  }

  /** Paths of all files but {@code .signatures.json}, sorted. */
  public java.util.Set<String> paths() {
    return files.keySet();
  }

  /** A copy of the file at {@code path}, if present. */
  public Optional<byte[]> file(String path) {
    byte[] b = files.get(path);
    return b == null ? Optional.empty() : Optional.of(b.clone());
  }

  public Optional<Signatures> signatures() {
    return signatures;
  }

  public boolean isSigned() {
    return signatures.isPresent();
  }

  /** Rego sources by path, in path order. */
  public Map<String, String> modules() {
    return modules;
  }

  /** All data files merged into one document rooted at {@code data}. */
  public ObjectNode data() {
    return data.deepCopy();
  }

  public Bundle withSignatures(Signatures newSignatures) {
    return new Bundle(name, files, Optional.of(newSignatures));
  }

  public Bundle withoutSignatures() {
    return new Bundle(name, files, Optional.empty());
  }

  public Bundle withManifest(Manifest newManifest) {
    return of(name, files, newManifest);
  }

  public Bundle withName(String newName) {
    return new Bundle(newName, files, signatures);
  }

  /**
   * A digest of the bundle's content that does not depend on the archive encoding: SHA-256 over the
   * sorted lines {@code path:sha256}, each file hashed as OPA's signatures hash it. Two bundles
   * with the same digest carry the same policy and data.
   */
  public String contentDigest() {
    MessageDigest d = HashAlgorithm.SHA256.newDigest();
    files.forEach(
        (p, b) ->
            d.update(
                (p + ":" + FileHasher.hash(p, b, HashAlgorithm.SHA256) + "\n")
                    .getBytes(StandardCharsets.UTF_8)));
    return "sha256:" + HexFormat.of().formatHex(d.digest());
  }

  private static String checkPath(String path) {
    String p = path.replace('\\', '/');
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    if (p.startsWith("./")) {
      p = p.substring(2);
    }
    if (p.isEmpty()
        || p.endsWith("/")
        || Arrays.asList(p.split("/")).stream().anyMatch(s -> s.equals("..") || s.isEmpty())) {
      throw new BundleException("bad path in bundle: '" + path + "'");
    }
    return p;
  }

  private static ObjectNode mergeData(SortedMap<String, byte[]> files) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    for (var e : files.entrySet()) {
      String path = e.getKey();
      String base = path.substring(path.lastIndexOf('/') + 1);
      boolean json = base.equals("data.json");
      boolean yaml = base.equals("data.yaml") || base.equals("data.yml");
      if (!json && !yaml) {
        continue;
      }
      JsonNode value;
      try {
        value = json ? JSON.readTree(e.getValue()) : YAML.readTree(e.getValue());
      } catch (IOException ex) {
        String at = "";
        if (ex instanceof com.fasterxml.jackson.core.JsonProcessingException jp
            && jp.getLocation() != null) {
          at = ":" + jp.getLocation().getLineNr() + ":" + jp.getLocation().getColumnNr();
        }
        throw new BundleException(path + at + ": not valid " + (json ? "JSON" : "YAML"), ex);
      }
      if (value == null || value.isMissingNode()) {
        value = JsonNodeFactory.instance.objectNode();
      }
      String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
      insert(root, dir, value, path);
    }
    return root;
  }

  private static void insert(ObjectNode root, String dir, JsonNode value, String file) {
    if (dir.isEmpty()) {
      if (!value.isObject()) {
        throw new BundleException(file + ": data at the root must be an object");
      }
      mergeInto(root, (ObjectNode) value, file);
      return;
    }
    String[] segs = dir.split("/");
    ObjectNode node = root;
    for (int i = 0; i < segs.length - 1; i++) {
      JsonNode next = node.get(segs[i]);
      if (next == null) {
        next = node.putObject(segs[i]);
      } else if (!next.isObject()) {
        throw new BundleException(file + ": conflicts with data at '" + segs[i] + "'");
      }
      node = (ObjectNode) next;
    }
    String last = segs[segs.length - 1];
    JsonNode existing = node.get(last);
    if (existing == null) {
      node.set(last, value.deepCopy());
    } else if (existing.isObject() && value.isObject()) {
      mergeInto((ObjectNode) existing, (ObjectNode) value, file);
    } else {
      throw new BundleException(file + ": conflicts with other data at '" + dir + "'");
    }
  }

  private static void mergeInto(ObjectNode target, ObjectNode source, String file) {
    source
        .properties()
        .forEach(
            e -> {
              JsonNode existing = target.get(e.getKey());
              if (existing == null) {
                target.set(e.getKey(), e.getValue().deepCopy());
              } else if (existing.isObject() && e.getValue().isObject()) {
                mergeInto((ObjectNode) existing, (ObjectNode) e.getValue(), file);
              } else {
                throw new BundleException(
                    file + ": conflicts with other data at key '" + e.getKey() + "'");
              }
            });
  }

  private void validateRoots() {
    var roots = manifest.effectiveRoots();
    Roots.requireDisjoint(Map.of(name, roots));
    for (var m : modules.entrySet()) {
      String pkg = RegoPackages.packagePath(m.getValue());
      if (pkg == null) {
        throw new BundleException(m.getKey() + ":1:1: no package declaration");
      }
      if (!Roots.contain(roots, pkg)) {
        throw new BundleException(
            "manifest roots "
                + roots
                + " do not permit package '"
                + pkg.replace('/', '.')
                + "' in "
                + m.getKey());
      }
    }
    checkDataInRoots(data, "", roots);
  }

  private static void checkDataInRoots(JsonNode node, String path, java.util.List<String> roots) {
    if (Roots.contain(roots, path)) {
      return;
    }
    boolean ancestorOfRoot =
        node.isObject()
            && roots.stream()
                .anyMatch(r -> path.isEmpty() || r.equals(path) || r.startsWith(path + "/"));
    if (!ancestorOfRoot) {
      throw new BundleException(
          "manifest roots " + roots + " do not permit data at path '/" + path + "'");
    }
    node.properties()
        .forEach(
            e ->
                checkDataInRoots(
                    e.getValue(), path.isEmpty() ? e.getKey() : path + "/" + e.getKey(), roots));
  }
}
