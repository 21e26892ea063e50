package io.maestro.provenance.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.json.CanonicalJson;
import io.maestro.provenance.attest.InTotoStatement;
import io.maestro.provenance.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The release's statement about its container image: the subject is the image by its manifest
 * digest (what a registry and a runtime pin, {@code image@sha256:…}), the predicate names the
 * tarball in the release with its SHA-256, and the image's config and layer digests.
 */
final class ImageAttestation {
  static final String PREDICATE_TYPE = "https://maestro-conductor.dev/attestations/oci-image/v1";

  record Attested(OciImage.Image image, InTotoStatement statement) {}

  private ImageAttestation() {}

  /** Reads the tarball at {@code file} (release name {@code name}) and states what it is. */
  static Attested of(Path file, String name) {
    OciImage.Image image;
    try {
      image = OciImage.read(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the image " + name + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the image " + name + " is not usable: " + e.getMessage());
    }
    ObjectNode p = Json.object();
    p.put("tarball", name);
    p.putObject("tarballDigest").put("sha256", ReleaseFiles.sha256(file));
    p.put("manifestDigest", image.manifestDigest());
    p.put("configDigest", image.configDigest());
    ArrayNode layers = p.putArray("layers");
    image.layers().forEach(layers::add);
    InTotoStatement st =
        InTotoStatement.of(
            List.of(
                new InTotoStatement.Subject(
                    image.reference(), Map.of("sha256", hex(image.manifestDigest())))),
            PREDICATE_TYPE,
            p);
    return new Attested(image, st);
  }

  /** The predicate of a signed image statement, parsed. */
  static JsonNode predicate(InTotoStatement st) {
    return CanonicalJson.parse(st.predicate());
  }

  static String hex(String digest) {
    return digest.startsWith("sha256:") ? digest.substring(7) : digest;
  }
}
