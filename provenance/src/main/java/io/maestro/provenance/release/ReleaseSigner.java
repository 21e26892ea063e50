package io.maestro.provenance.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.json.CanonicalJson;
import io.maestro.provenance.attest.Dsse;
import io.maestro.provenance.attest.InTotoStatement;
import io.maestro.provenance.internal.Json;
import io.maestro.provenance.keys.Signer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Assembles and signs a release directory: the app jar, its libraries, the SBOMs and (when built)
 * the image tarball are copied in; then the release key signs, as DSSE envelopes of in-toto
 * Statements, the build's SLSA provenance (every product by SHA-256, the git commit and the SBOM's
 * components as materials), the SBOM attestation (the app's SBOM about the jar), the sign step's
 * link, and the layout itself. Ed25519 signatures are deterministic and the documents carry no
 * clock, so the same inputs and key give the same release bytes.
 */
public final class ReleaseSigner {
  public static final String LAYOUT_FILE = "layout.dsse.json";
  public static final String LAYOUT_PAYLOAD_TYPE = "application/vnd.in-toto.layout+yaml";
  public static final String LINK_PREDICATE_TYPE = "https://in-toto.io/attestation/link/v0.3";
  public static final String SBOM_ATTESTATION = "attestations/sbom.dsse.json";
  public static final String IMAGE_ATTESTATION = "attestations/image.dsse.json";
  public static final String APP_JAR = "maestro.jar";
  static final String OWN_PURL_PREFIX = "pkg:maven/io.maestro/";

  private ReleaseSigner() {}

  /**
   * What goes into a release.
   *
   * @param libDir the jar's libraries ({@code lib/} beside it), copied to {@code lib/}
   * @param sboms CycloneDX JSON files, copied to {@code sbom/}; the first describes the app
   * @param image an OCI image tarball, copied to {@code image/}, if one was built
   */
  public record Inputs(
      Path jar,
      Optional<Path> libDir,
      List<Path> sboms,
      Optional<Path> image,
      String layoutYaml,
      SlsaProvenance.Source source,
      String builderId,
      List<String> buildCommand,
      List<String> signCommand) {
    public Inputs {
      Objects.requireNonNull(jar, "jar");
      Objects.requireNonNull(libDir, "libDir");
      sboms = List.copyOf(sboms);
      if (sboms.isEmpty()) {
        throw new IllegalArgumentException("a release carries at least one SBOM");
      }
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(layoutYaml, "layoutYaml");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(builderId, "builderId");
      buildCommand = List.copyOf(buildCommand);
      signCommand = List.copyOf(signCommand);
    }
  }

  /**
   * What was written.
   *
   * @param imageDigest the image's manifest digest ({@code sha256:…}) when the release has one
   */
  public record Signed(
      int products,
      int materials,
      int sbomComponents,
      String keyId,
      Optional<String> imageDigest) {}

  /** Writes the release into {@code out}, which must not exist or be empty. */
  public static Signed sign(Inputs in, Path out, Signer signer) {
    ReleaseLayout layout = ReleaseLayout.parse(in.layoutYaml());
    // The image is read (and refused when it is no consistent OCI image) before anything is
    // written.
    Optional<ImageAttestation.Attested> image =
        in.image().map(p -> ImageAttestation.of(p, "image/" + p.getFileName()));
    try {
      prepare(out);
      copy(in.jar(), out.resolve(APP_JAR));
      if (in.libDir().isPresent()) {
        try (Stream<Path> libs = Files.list(in.libDir().get())) {
          for (Path l : libs.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
            copy(l, out.resolve("lib").resolve(l.getFileName().toString()));
          }
        }
      }
      for (Path s : in.sboms()) {
        copy(s, out.resolve("sbom").resolve(s.getFileName().toString()));
      }
      if (in.image().isPresent()) {
        copy(in.image().get(), out.resolve("image").resolve(in.image().get().getFileName()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot assemble the release: " + e.getMessage(), e);
    }
    SortedMap<String, String> products = ReleaseFiles.digests(out);
    JsonNode appBom = readJson(in.sboms().get(0));
    CycloneDx.Summary summary = CycloneDx.summarize(appBom);
    Map<String, String> deps = new TreeMap<>();
    for (Path s : in.sboms()) {
      deps.putAll(CycloneDx.materials(readJson(s), OWN_PURL_PREFIX));
    }

    ReleaseLayout.Step build = layout.step("build");
    ObjectNode provenance =
        SlsaProvenance.predicate(in.source(), in.builderId(), in.buildCommand(), deps);
    write(out, build.attestation(), statement(products, build.predicateType(), provenance), signer);

    InTotoStatement sbom =
        InTotoStatement.of(
            List.of(subject(APP_JAR, products.get(APP_JAR))), CycloneDx.PREDICATE_TYPE, appBom);
    write(out, SBOM_ATTESTATION, sbom, signer);

    List<String> attestations = new ArrayList<>(List.of(build.attestation(), SBOM_ATTESTATION));
    if (image.isPresent()) {
      write(out, IMAGE_ATTESTATION, image.get().statement(), signer);
      attestations.add(IMAGE_ATTESTATION);
    }

    ReleaseLayout.Step signStep = layout.step("sign");
    SortedMap<String, String> signProducts = new TreeMap<>();
    for (String f : attestations) {
      signProducts.put(f, ReleaseFiles.sha256(out.resolve(f)));
    }
    write(
        out,
        signStep.attestation(),
        statement(signProducts, LINK_PREDICATE_TYPE, link("sign", in.signCommand(), products)),
        signer);

    Dsse.Envelope layoutEnv =
        Dsse.sign(LAYOUT_PAYLOAD_TYPE, in.layoutYaml().getBytes(StandardCharsets.UTF_8), signer);
    writeText(out.resolve(LAYOUT_FILE), Json.writePretty(layoutEnv.toJson()) + "\n");
    return new Signed(
        products.size(),
        deps.size() + 1,
        summary.components(),
        signer.key().keyId(),
        image.map(i -> i.image().manifestDigest()));
  }

  /** An in-toto link predicate (v0.3): the step, its command and its materials by digest. */
  static ObjectNode link(String name, List<String> command, Map<String, String> materials) {
    ObjectNode p = Json.object();
    p.put("name", name);
    ArrayNode cmd = p.putArray("command");
    command.forEach(cmd::add);
    ArrayNode m = p.putArray("materials");
    materials.forEach(
        (n, sha) -> m.addObject().put("name", n).putObject("digest").put("sha256", sha));
    p.putObject("byproducts");
    p.putObject("environment");
    return p;
  }

  private static InTotoStatement statement(
      Map<String, String> subjects, String predicateType, JsonNode predicate) {
    List<InTotoStatement.Subject> list = new ArrayList<>();
    subjects.forEach((n, sha) -> list.add(subject(n, sha)));
    return InTotoStatement.of(list, predicateType, predicate);
  }

  private static InTotoStatement.Subject subject(String name, String sha256) {
    return new InTotoStatement.Subject(name, Map.of("sha256", sha256));
  }

  private static void write(Path out, String name, InTotoStatement st, Signer signer) {
    writeText(out.resolve(name), Json.writePretty(st.sign(signer).toJson()) + "\n");
  }

  private static void writeText(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void prepare(Path out) throws IOException {
    if (Files.exists(out)) {
      try (Stream<Path> s = Files.list(out)) {
        if (s.findAny().isPresent()) {
          throw new IllegalArgumentException(out + " is not empty: sign into a new directory");
        }
      }
    }
    Files.createDirectories(out);
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
  }

  static JsonNode readJson(Path p) {
    try {
      return CanonicalJson.parse(Files.readString(p, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }
}
