package io.maestro.provenance.release;

import static io.maestro.provenance.verify.VerificationFailure.Check.DIGEST;
import static io.maestro.provenance.verify.VerificationFailure.Check.FORMAT;
import static io.maestro.provenance.verify.VerificationFailure.Check.IMAGE;
import static io.maestro.provenance.verify.VerificationFailure.Check.LAYOUT;
import static io.maestro.provenance.verify.VerificationFailure.Check.PROVENANCE;
import static io.maestro.provenance.verify.VerificationFailure.Check.SBOM;
import static io.maestro.provenance.verify.VerificationFailure.Check.SIGNATURE;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.CanonicalJson;
import io.maestro.provenance.attest.Dsse;
import io.maestro.provenance.attest.InTotoStatement;
import io.maestro.provenance.keys.PublicKeyInfo;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.verify.VerificationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Verifies a release directory offline with the trusted public keys, in this order, stopping at the
 * first failure and naming its check: {@code signature} (the layout and every step's attestation
 * signed by enough of the step's functionaries), {@code digest} (every attested product on disk
 * with its SHA-256, and no file the attestations do not cover), {@code layout} (each step's
 * artifact rules), {@code provenance} (the build names its git commit, builder and materials) and
 * {@code sbom} (the SBOMs are present and valid CycloneDX, and the signed SBOM attestation is the
 * app's SBOM about this jar). Stateless.
 */
public final class ReleaseVerifier {
  private ReleaseVerifier() {}

  /** What a verified release holds. */
  public record Report(
      int steps,
      int artifacts,
      int materials,
      String commit,
      String builder,
      List<String> signers,
      Map<String, Integer> sbomComponents,
      Optional<String> imageDigest) {}

  private record StepLink(
      ReleaseLayout.Step step,
      SortedMap<String, String> materials,
      SortedMap<String, String> products,
      JsonNode predicate) {}

  public static Report verify(Path dir, TrustedKeys keys) throws VerificationFailure {
    if (!Files.isDirectory(dir)) {
      throw new VerificationFailure(FORMAT, dir.toString(), "not a release directory");
    }
    ReleaseLayout layout = readLayout(dir, keys);
    Set<String> signers = new LinkedHashSet<>();
    Map<String, StepLink> links = new LinkedHashMap<>();
    for (ReleaseLayout.Step step : layout.steps()) {
      links.put(step.name(), readLink(dir, step, keys, signers));
    }
    SortedMap<String, String> onDisk = ReleaseFiles.digests(dir);
    checkDigests(layout, links, onDisk);
    Map<String, Map<String, String>> earlier = new TreeMap<>();
    for (StepLink l : links.values()) {
      rules(l.step(), "materials", l.step().expectedMaterials(), l.materials(), false, earlier);
      rules(l.step(), "products", l.step().expectedProducts(), l.products(), true, earlier);
      earlier.put(l.step().name(), l.products());
    }
    StepLink build = links.get("build");
    if (build == null) {
      throw new VerificationFailure(LAYOUT, "the layout", "it has no build step");
    }
    String commit;
    String builder;
    try {
      commit = SlsaProvenance.sourceCommit(build.predicate());
      builder = SlsaProvenance.builderId(build.predicate());
    } catch (IllegalArgumentException e) {
      throw new VerificationFailure(PROVENANCE, build.step().attestation(), e.getMessage());
    }
    Map<String, Integer> sboms = checkSboms(dir, onDisk, keys, layout, signers);
    Optional<String> image = checkImage(dir, onDisk, keys, layout, signers);
    return new Report(
        layout.steps().size(),
        onDisk.size(),
        build.materials().size(),
        commit,
        builder,
        List.copyOf(signers),
        sboms,
        image);
  }

  private static ReleaseLayout readLayout(Path dir, TrustedKeys keys) throws VerificationFailure {
    String where = ReleaseSigner.LAYOUT_FILE;
    Dsse.Envelope env = envelope(dir, where, LAYOUT);
    if (!ReleaseSigner.LAYOUT_PAYLOAD_TYPE.equals(env.payloadType())) {
      throw new VerificationFailure(LAYOUT, where, "payload type is " + env.payloadType());
    }
    try {
      Dsse.verify(env, keys);
    } catch (IllegalArgumentException e) {
      throw new VerificationFailure(SIGNATURE, where, e.getMessage());
    }
    try {
      return ReleaseLayout.parse(new String(env.payload(), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new VerificationFailure(LAYOUT, where, e.getMessage());
    }
  }

  private static StepLink readLink(
      Path dir, ReleaseLayout.Step step, TrustedKeys keys, Set<String> signers)
      throws VerificationFailure {
    String where = step.attestation();
    Dsse.Envelope env = envelope(dir, where, LAYOUT);
    Set<String> authorized = new LinkedHashSet<>();
    for (Dsse.Signature s : env.signatures()) {
      Dsse.Envelope single = new Dsse.Envelope(env.payloadType(), env.payload(), List.of(s));
      PublicKeyInfo k;
      try {
        k = Dsse.verify(single, keys);
      } catch (IllegalArgumentException e) {
        throw new VerificationFailure(SIGNATURE, where, e.getMessage());
      }
      if (step.authorizes(k.name(), k.keyId())) {
        authorized.add(k.keyId());
      }
    }
    if (authorized.size() < step.threshold()) {
      throw new VerificationFailure(
          SIGNATURE,
          where,
          "signed by "
              + authorized.size()
              + " of the step's functionaries "
              + step.functionaries()
              + ", the layout asks for "
              + step.threshold());
    }
    signers.addAll(authorized);
    InTotoStatement st;
    try {
      st = InTotoStatement.fromEnvelope(env);
    } catch (IllegalArgumentException e) {
      throw new VerificationFailure(FORMAT, where, e.getMessage());
    }
    if (!step.predicateType().equals(st.predicateType())) {
      throw new VerificationFailure(
          LAYOUT,
          where,
          "predicate type " + st.predicateType() + ", expected " + step.predicateType());
    }
    SortedMap<String, String> products = new TreeMap<>();
    st.subjects().forEach(s -> products.put(s.name(), s.digest().getOrDefault("sha256", "")));
    JsonNode predicate = CanonicalJson.parse(st.predicate());
    SortedMap<String, String> materials = new TreeMap<>();
    try {
      if (SlsaProvenance.PREDICATE_TYPE.equals(st.predicateType())) {
        materials.putAll(SlsaProvenance.materials(predicate));
      } else {
        for (JsonNode m : predicate.path("materials")) {
          materials.put(m.path("name").asText(), m.path("digest").path("sha256").asText());
        }
      }
    } catch (IllegalArgumentException e) {
      throw new VerificationFailure(PROVENANCE, where, e.getMessage());
    }
    return new StepLink(step, materials, products, predicate);
  }

  private static void checkDigests(
      ReleaseLayout layout, Map<String, StepLink> links, SortedMap<String, String> onDisk)
      throws VerificationFailure {
    Set<String> covered = new LinkedHashSet<>();
    covered.add(ReleaseSigner.LAYOUT_FILE);
    layout.steps().forEach(s -> covered.add(s.attestation()));
    for (StepLink l : links.values()) {
      for (Map.Entry<String, String> p : l.products().entrySet()) {
        String actual = onDisk.get(p.getKey());
        if (actual == null) {
          throw new VerificationFailure(
              DIGEST, p.getKey(), "attested by the " + l.step().name() + " step but missing");
        }
        if (!actual.equals(p.getValue())) {
          throw new VerificationFailure(
              DIGEST,
              p.getKey(),
              "SHA-256 is "
                  + actual
                  + " but the "
                  + l.step().name()
                  + " step attests "
                  + p.getValue());
        }
        covered.add(p.getKey());
      }
    }
    for (String f : onDisk.keySet()) {
      if (!covered.contains(f)) {
        throw new VerificationFailure(DIGEST, f, "no step attests this file");
      }
    }
  }

  private static void rules(
      ReleaseLayout.Step step,
      String what,
      List<ArtifactRules.Rule> rules,
      Map<String, String> artifacts,
      boolean products,
      Map<String, Map<String, String>> earlier)
      throws VerificationFailure {
    var failure = ArtifactRules.check(rules, artifacts, products, earlier);
    if (failure.isPresent()) {
      throw new VerificationFailure(LAYOUT, "step " + step.name() + " " + what, failure.get());
    }
  }

  private static Map<String, Integer> checkSboms(
      Path dir,
      SortedMap<String, String> onDisk,
      TrustedKeys keys,
      ReleaseLayout layout,
      Set<String> signers)
      throws VerificationFailure {
    Map<String, Integer> out = new TreeMap<>();
    for (String f : onDisk.keySet()) {
      if (f.startsWith("sbom/")) {
        try {
          out.put(f, CycloneDx.summarize(ReleaseSigner.readJson(dir.resolve(f))).components());
        } catch (RuntimeException e) {
          throw new VerificationFailure(SBOM, f, "not a usable CycloneDX SBOM: " + e.getMessage());
        }
      }
    }
    if (out.isEmpty()) {
      throw new VerificationFailure(SBOM, "sbom/", "the release carries no SBOM");
    }
    String where = ReleaseSigner.SBOM_ATTESTATION;
    InTotoStatement st = functionaryStatement(dir, where, SBOM, keys, layout, signers);
    if (!CycloneDx.PREDICATE_TYPE.equals(st.predicateType())) {
      throw new VerificationFailure(SBOM, where, "predicate type is " + st.predicateType());
    }
    String jar = onDisk.get(ReleaseSigner.APP_JAR);
    if (jar == null
        || st.subjects().stream().noneMatch(s -> jar.equals(s.digest().get("sha256")))) {
      throw new VerificationFailure(SBOM, where, "the SBOM attestation is not about this jar");
    }
    String attested = st.predicate();
    boolean matchesAFile = false;
    for (String f : out.keySet()) {
      if (attested.equals(
          CanonicalJson.toCanonicalString(ReleaseSigner.readJson(dir.resolve(f))))) {
        matchesAFile = true;
      }
    }
    if (!matchesAFile) {
      throw new VerificationFailure(
          SBOM, where, "the attested SBOM is none of the release's SBOM files");
    }
    return out;
  }

  /**
   * The image, when the release has one: the signed image attestation names this tarball by its
   * SHA-256, and the tarball is an OCI image whose blobs match their digests and whose manifest
   * digest is the attestation's subject.
   */
  private static Optional<String> checkImage(
      Path dir,
      SortedMap<String, String> onDisk,
      TrustedKeys keys,
      ReleaseLayout layout,
      Set<String> signers)
      throws VerificationFailure {
    List<String> images = onDisk.keySet().stream().filter(f -> f.startsWith("image/")).toList();
    if (images.isEmpty()) {
      return Optional.empty();
    }
    if (images.size() > 1) {
      throw new VerificationFailure(IMAGE, "image/", "a release carries one image tarball");
    }
    String tarball = images.get(0);
    String where = ReleaseSigner.IMAGE_ATTESTATION;
    InTotoStatement st = functionaryStatement(dir, where, IMAGE, keys, layout, signers);
    if (!ImageAttestation.PREDICATE_TYPE.equals(st.predicateType())) {
      throw new VerificationFailure(IMAGE, where, "predicate type is " + st.predicateType());
    }
    JsonNode p = ImageAttestation.predicate(st);
    if (!tarball.equals(p.path("tarball").asText())
        || !onDisk.get(tarball).equals(p.path("tarballDigest").path("sha256").asText())) {
      throw new VerificationFailure(IMAGE, where, "the image attestation is not about " + tarball);
    }
    OciImage.Image image;
    try {
      image = OciImage.read(dir.resolve(tarball));
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new VerificationFailure(IMAGE, tarball, e.getMessage());
    }
    String manifest = ImageAttestation.hex(image.manifestDigest());
    if (st.subjects().stream().noneMatch(s -> manifest.equals(s.digest().get("sha256")))
        || !image.manifestDigest().equals(p.path("manifestDigest").asText())) {
      throw new VerificationFailure(
          IMAGE,
          tarball,
          "its manifest is " + image.manifestDigest() + ", the attestation signs another image");
    }
    return Optional.of(image.manifestDigest());
  }

  /**
   * The statement of an attestation outside the layout's steps (SBOM, image), signed by one of the
   * layout's functionaries, who joins {@code signers}.
   */
  private static InTotoStatement functionaryStatement(
      Path dir,
      String where,
      VerificationFailure.Check missing,
      TrustedKeys keys,
      ReleaseLayout layout,
      Set<String> signers)
      throws VerificationFailure {
    Dsse.Envelope env = envelope(dir, where, missing);
    try {
      PublicKeyInfo k = Dsse.verify(env, keys);
      if (layout.steps().stream().noneMatch(s -> s.authorizes(k.name(), k.keyId()))) {
        throw new VerificationFailure(SIGNATURE, where, k.keyId() + " is no functionary");
      }
      signers.add(k.keyId());
      return InTotoStatement.fromEnvelope(env);
    } catch (IllegalArgumentException e) {
      throw new VerificationFailure(SIGNATURE, where, e.getMessage());
    }
  }

  private static Dsse.Envelope envelope(Path dir, String name, VerificationFailure.Check missing)
      throws VerificationFailure {
    Path f = dir.resolve(name);
    if (!Files.isRegularFile(f)) {
      throw new VerificationFailure(missing, name, "missing from the release");
    }
    try {
      return Dsse.Envelope.fromJson(ReleaseSigner.readJson(f));
    } catch (RuntimeException e) {
      throw new VerificationFailure(FORMAT, name, "not a DSSE envelope: " + e.getMessage());
    }
  }
}
