package io.maestro.provenance.packages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.maestro.core.archive.DeterministicTar;
import io.maestro.core.json.CanonicalJson;
import io.maestro.provenance.attest.Dsse;
import io.maestro.provenance.attest.InTotoStatement;
import io.maestro.provenance.keys.Signer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A signed workflow package: a reproducible .tar.gz ({@link DeterministicTar}) of workflow
 * manifests and the files beside them, with a digest manifest ({@value #DIGESTS}: the package's
 * name and version, every file's path, size and SHA-256, and which files are workflows), an in-toto
 * Statement with an SLSA provenance predicate ({@value #PROVENANCE}: who built it from which source
 * digest, about the digest manifest; see {@link PackageProvenance}) and, once signed, a DSSE
 * envelope ({@value #SIGNATURE}) over the exact bytes of that statement. Packages built before the
 * statement existed carry none; their envelope covers the digest manifest itself. The package's
 * digest is the SHA-256 of the digest manifest, so signing does not change it. Immutable; reading
 * is bounded ({@link #MAX_FILES} files, {@link #MAX_BYTES} unpacked bytes).
 */
public final class WorkflowPackage {
  public static final String DIGESTS = "maestro-package.json";
  public static final String SIGNATURE = "maestro-package.dsse.json";
  public static final String PROVENANCE = "maestro-package.provenance.json";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  public static final String PAYLOAD_TYPE = "application/vnd.maestro.workflow-package+json";
  public static final int MAX_FILES = 1000;
  public static final long MAX_BYTES = 16L << 20;
  private static final Pattern SAFE_PATH =
      Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*");
  private static final ObjectMapper YAML = new YAMLMapper();

  private final byte[] digests;
  private final Map<String, byte[]> files;
  private final Optional<byte[]> provenance;
  private final Optional<Dsse.Envelope> signature;

  private WorkflowPackage(
      byte[] digests,
      Map<String, byte[]> files,
      Optional<byte[]> provenance,
      Optional<Dsse.Envelope> signature) {
    this.digests = digests.clone();
    this.files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
    this.provenance = provenance.map(byte[]::clone);
    this.signature = signature;
  }

  /** Bad package bytes: not a gzip'd tar, unsafe names, no digest manifest, over the limits. */
  public static final class FormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public FormatException(String message) {
      super(message);
    }
  }

  /**
   * Packages every regular file under {@code dir} (hidden files and directories left out); the YAML
   * or JSON files whose {@code kind} is {@code Workflow} are the package's workflows.
   *
   * <p>The package is named after the directory, version {@code 1}; {@link #of(Path, String,
   * String)} names it.
   *
   * @throws FormatException when the directory holds no workflow or a name cannot be packaged
   */
  public static WorkflowPackage of(Path dir) {
    return of(dir, defaultName(dir), "1");
  }

  /** The directory's name as a package name ({@code package} when it cannot be one). */
  public static String defaultName(Path dir) {
    Path last = dir.toAbsolutePath().normalize().getFileName();
    String name =
        last == null
            ? "package"
            : last.toString().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    return NAME.matcher(name).matches() ? name : "package";
  }

  /**
   * Packages every regular file under {@code dir} as package {@code name}, {@code version}.
   *
   * @throws FormatException when the directory holds no workflow, a file name cannot be packaged,
   *     or the name or version is not one a package can have
   */
  public static WorkflowPackage of(Path dir, String name, String version) {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted().toList()) {
        Path rel = dir.relativize(p);
        boolean hidden = false;
        for (Path part : rel) {
          hidden |= part.toString().startsWith(".");
        }
        if (hidden || !Files.isRegularFile(p)) {
          continue;
        }
        String path = rel.toString().replace('\\', '/');
        if (path.equals(DIGESTS) || path.equals(SIGNATURE) || path.equals(PROVENANCE)) {
          continue;
        }
        files.put(checkPath(path), Files.readAllBytes(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (files.isEmpty()) {
      throw new FormatException(dir + " holds no workflow manifest (kind: Workflow)");
    }
    return of(files, name, version);
  }

  /**
   * Packages {@code files} (path → content) as package {@code name}, {@code version}.
   *
   * @throws FormatException as {@link #of(Path, String, String)}
   */
  public static WorkflowPackage of(Map<String, byte[]> content, String name, String version) {
    checkName(name, version);
    Map<String, byte[]> files = new TreeMap<>();
    content.forEach((path, bytes) -> files.put(checkPath(path), bytes.clone()));
    List<String> workflows = new ArrayList<>();
    files.forEach(
        (path, bytes) -> {
          if (isWorkflow(path, bytes)) {
            workflows.add(path);
          }
        });
    if (workflows.isEmpty()) {
      throw new FormatException("package " + name + " holds no workflow manifest (kind: Workflow)");
    }
    return new WorkflowPackage(
        digestManifest(name, version, files, workflows), files, Optional.empty(), Optional.empty());
  }

  /**
   * A package name is a workflow-style name, its version a short token.
   *
   * @throws FormatException when either is not
   */
  public static void checkName(String name, String version) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new FormatException(
          "a package name is 1-63 lower-case letters, digits and '-', starting with a letter or"
              + " digit: '"
              + name
              + "'");
    }
    if (version == null || !VERSION.matcher(version).matches()) {
      throw new FormatException(
          "a package version is 1-63 letters, digits, '.', '_' and '-': '" + version + "'");
    }
  }

  /** Reads package bytes without checking them ({@link #check} does). */
  public static WorkflowPackage read(InputStream tgz) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    long total = 0;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(tgz))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (!e.isFile()) {
          throw new FormatException("entry " + e.getName() + " is not a regular file");
        }
        String name = checkPath(e.getName());
        if (files.size() >= MAX_FILES + 2) {
          throw new FormatException("a package holds at most " + MAX_FILES + " files");
        }
        byte[] bytes = tar.readNBytes((int) Math.min(MAX_BYTES - total + 1, Integer.MAX_VALUE));
        total += bytes.length;
        if (total > MAX_BYTES) {
          throw new FormatException("a package unpacks to at most " + MAX_BYTES + " bytes");
        }
        if (files.put(name, bytes) != null) {
          throw new FormatException("the package holds " + name + " twice");
        }
      }
    } catch (IOException ex) {
      throw new FormatException("not a workflow package (.tar.gz): " + ex.getMessage());
    }
    byte[] digests = files.remove(DIGESTS);
    if (digests == null) {
      throw new FormatException("the package has no " + DIGESTS);
    }
    byte[] statement = files.remove(PROVENANCE);
    byte[] sig = files.remove(SIGNATURE);
    Optional<Dsse.Envelope> envelope = Optional.empty();
    if (sig != null) {
      try {
        envelope = Optional.of(Dsse.Envelope.fromJson(new ObjectMapper().readTree(sig)));
      } catch (IOException | IllegalArgumentException ex) {
        throw new FormatException(SIGNATURE + " is not a DSSE envelope: " + ex.getMessage());
      }
    }
    return new WorkflowPackage(digests, files, Optional.ofNullable(statement), envelope);
  }

  /** The package's digest: {@code sha256:} of its digest manifest's bytes. */
  public String digest() {
    return "sha256:" + hex(digests);
  }

  /** The digest manifest's bytes, as packaged and signed. */
  public byte[] digestManifest() {
    return digests.clone();
  }

  /** The packaged files by path (without the digest manifest and the signature). */
  public Map<String, byte[]> files() {
    return files;
  }

  public Optional<Dsse.Envelope> signature() {
    return signature;
  }

  /** The provenance statement's bytes as packaged (unsigned; the signature covers them). */
  public Optional<byte[]> provenance() {
    return provenance.map(byte[]::clone);
  }

  /**
   * The package's name from its digest manifest; packages made before names were recorded are named
   * after their first workflow's file.
   */
  public String name() {
    String n = parsedDigests().path("name").asText("");
    if (!n.isEmpty()) {
      return n;
    }
    List<String> wf = workflows();
    String first = wf.isEmpty() ? "package" : wf.get(0);
    first = first.substring(first.lastIndexOf('/') + 1);
    int dot = first.lastIndexOf('.');
    return (dot > 0 ? first.substring(0, dot) : first).toLowerCase(java.util.Locale.ROOT);
  }

  /** The package's version from its digest manifest ({@code 1} for packages without one). */
  public String version() {
    return parsedDigests().path("version").asText("1");
  }

  /**
   * The paths of the workflow manifests the digest manifest lists (in its order).
   *
   * @throws FormatException when the digest manifest is not a package's
   */
  public List<String> workflows() {
    List<String> out = new ArrayList<>();
    for (JsonNode w : parsedDigests().path("workflows")) {
      out.add(w.asText());
    }
    return out;
  }

  /**
   * This package with {@code other} in place of its files, its digest manifest and signature kept:
   * what a change on the way would deliver ({@link PackageCheck} names the file that no longer
   * matches). For tests and tools that show what a verifier refuses.
   */
  public WorkflowPackage withFiles(Map<String, byte[]> other) {
    return new WorkflowPackage(digests, other, provenance, signature);
  }

  /** This package with {@code envelope} as its signature, whatever it covers. */
  public WorkflowPackage withSignature(Dsse.Envelope envelope) {
    return new WorkflowPackage(digests, files, provenance, Optional.of(envelope));
  }

  /**
   * This package with {@code statement} as its provenance (canonical JSON), unsigned: a signature
   * it had covered another statement, so it is dropped.
   */
  public WorkflowPackage withProvenance(InTotoStatement statement) {
    return new WorkflowPackage(
        digests,
        files,
        Optional.of(CanonicalJson.canonicalize(statement.toJson())),
        Optional.empty());
  }

  /**
   * This package signed by {@code signer} (a signature it had is replaced): the envelope covers the
   * provenance statement when the package has one, else the digest manifest.
   */
  public WorkflowPackage sign(Signer signer) {
    Dsse.Envelope env =
        provenance.isPresent()
            ? Dsse.sign(InTotoStatement.PAYLOAD_TYPE, provenance.get(), signer)
            : Dsse.sign(PAYLOAD_TYPE, digests, signer);
    return new WorkflowPackage(digests, files, provenance, Optional.of(env));
  }

  /** The package's bytes: the same package always gives the same bytes. */
  public byte[] toBytes() {
    List<DeterministicTar.Entry> entries = new ArrayList<>();
    entries.add(DeterministicTar.Entry.of(DIGESTS, digests));
    provenance.ifPresent(p -> entries.add(DeterministicTar.Entry.of(PROVENANCE, p)));
    signature.ifPresent(
        s ->
            entries.add(
                DeterministicTar.Entry.of(SIGNATURE, CanonicalJson.canonicalize(s.toJson()))));
    files.forEach((name, bytes) -> entries.add(DeterministicTar.Entry.of(name, bytes)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      DeterministicTar.write(entries, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  JsonNode parsedDigests() {
    try {
      JsonNode doc = new ObjectMapper().readTree(digests);
      if (doc == null
          || !"WorkflowPackage".equals(doc.path("kind").asText())
          || !doc.path("files").isArray()
          || !doc.path("workflows").isArray()) {
        throw new FormatException(DIGESTS + " is not a workflow package's digest manifest");
      }
      return doc;
    } catch (IOException e) {
      throw new FormatException(DIGESTS + " is not JSON: " + e.getMessage());
    }
  }

  private static byte[] digestManifest(
      String name, String version, Map<String, byte[]> files, List<String> workflows) {
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.put("apiVersion", "maestro/v1");
    doc.put("kind", "WorkflowPackage");
    doc.put("name", name);
    doc.put("version", version);
    ArrayNode list = doc.putArray("files");
    files.forEach(
        (path, bytes) ->
            list.addObject().put("path", path).put("size", bytes.length).put("sha256", hex(bytes)));
    ArrayNode wf = doc.putArray("workflows");
    workflows.forEach(wf::add);
    return CanonicalJson.canonicalize(doc);
  }

  private static boolean isWorkflow(String name, byte[] bytes) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    if (!(lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json"))) {
      return false;
    }
    try {
      JsonNode doc = YAML.readTree(new String(bytes, StandardCharsets.UTF_8));
      return doc != null && "Workflow".equals(doc.path("kind").asText());
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static String checkPath(String name) {
    if (name.length() > 255 || !SAFE_PATH.matcher(name).matches()) {
      throw new FormatException(
          "cannot package '"
              + name
              + "': names are relative paths of letters, digits, '.', '_' and '-' (≤ 255)");
    }
    return name;
  }

  static String hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
