package io.maestro.provenance.release;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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

/**
 * An OCI image layout in a tarball (what {@code jib:buildTar} writes): reads {@code index.json},
 * the one image manifest it names and that manifest's config and layers, and checks that every blob
 * is present with the SHA-256 its name and its descriptor say. The image's identity is its manifest
 * digest, which is what a registry and a runtime pin ({@code image@sha256:…}).
 */
public final class OciImage {
  private static final int BLOCK = 512;
  private static final String BLOBS = "blobs/sha256/";
  private static final long SMALL = 4L * 1024 * 1024;

  /**
   * What the tarball holds.
   *
   * @param reference the image's name in {@code index.json} ({@code
   *     org.opencontainers.image.ref.name}), or {@code image} when it has none
   * @param manifestDigest {@code sha256:…} of the image manifest
   * @param configDigest {@code sha256:…} of the image config
   * @param layers the layers' digests, bottom first
   * @param size the manifest's config and layer sizes added up (bytes, compressed)
   */
  public record Image(
      String reference,
      String manifestDigest,
      String configDigest,
      List<String> layers,
      long size,
      JsonNode config) {
    public Image {
      layers = List.copyOf(layers);
    }
  }

  private OciImage() {}

  /** Reads and checks the tarball; an {@link IllegalArgumentException} says what is wrong. */
  public static Image read(Path tarball) throws IOException {
    Map<String, byte[]> smallFiles = new LinkedHashMap<>();
    Map<String, String> blobDigests = new LinkedHashMap<>();
    Map<String, Long> blobSizes = new LinkedHashMap<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(tarball))) {
      byte[] header = new byte[BLOCK];
      while (in.readNBytes(header, 0, BLOCK) == BLOCK && header[0] != 0) {
        String name = cString(header, 0, 100);
        String prefix = cString(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
        String octal = cString(header, 124, 12).trim();
        long size = octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
        char type = (char) header[156];
        if (name.startsWith("./")) {
          name = name.substring(2);
        }
        MessageDigest sha = sha256();
        // Small files (index, manifest, config) are kept; layers are only hashed.
        boolean keep = size <= SMALL;
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) {
            throw new IllegalArgumentException("truncated at " + name);
          }
          sha.update(buf, 0, n);
          if (keep) {
            kept.write(buf, 0, n);
          }
          left -= n;
        }
        in.skipNBytes((BLOCK - size % BLOCK) % BLOCK);
        if (type != '0' && type != 0) {
          continue;
        }
        if (name.startsWith(BLOBS)) {
          String digest = "sha256:" + name.substring(BLOBS.length());
          String actual = "sha256:" + HexFormat.of().formatHex(sha.digest());
          if (!digest.equals(actual)) {
            throw new IllegalArgumentException(name + " has SHA-256 " + actual.substring(7));
          }
          blobDigests.put(digest, name);
          blobSizes.put(digest, size);
          if (keep) {
            smallFiles.put(digest, kept.toByteArray());
          }
        } else if (keep) {
          smallFiles.put(name, kept.toByteArray());
        }
      }
    }
    if (!smallFiles.containsKey("oci-layout") || !smallFiles.containsKey("index.json")) {
      throw new IllegalArgumentException("not an OCI image layout (no oci-layout or index.json)");
    }
    JsonNode index = Json.MAPPER.readTree(smallFiles.get("index.json"));
    JsonNode manifests = index.path("manifests");
    if (manifests.size() != 1) {
      throw new IllegalArgumentException("index.json names " + manifests.size() + " manifests");
    }
    String manifestDigest = descriptor(manifests.get(0), blobSizes, "the manifest");
    JsonNode manifest = Json.MAPPER.readTree(small(smallFiles, manifestDigest));
    String configDigest = descriptor(manifest.path("config"), blobSizes, "the config");
    long size = manifest.path("config").path("size").asLong();
    List<String> layers = new ArrayList<>();
    for (JsonNode l : manifest.path("layers")) {
      layers.add(descriptor(l, blobSizes, "layer " + layers.size()));
      size += l.path("size").asLong();
    }
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("the manifest has no layers");
    }
    String reference =
        manifests.get(0).path("annotations").path("org.opencontainers.image.ref.name").asText("");
    return new Image(
        reference.isBlank() ? "image" : reference,
        manifestDigest,
        configDigest,
        layers,
        size,
        Json.MAPPER.readTree(small(smallFiles, configDigest)));
  }

  private static byte[] small(Map<String, byte[]> files, String digest) {
    byte[] b = files.get(digest);
    if (b == null) {
      throw new IllegalArgumentException(digest + " is too large for a manifest or config");
    }
    return b;
  }

  private static String descriptor(JsonNode d, Map<String, Long> sizes, String what) {
    String digest = d.path("digest").asText("");
    Long size = sizes.get(digest);
    if (size == null) {
      throw new IllegalArgumentException(what + " " + digest + " is not in the tarball");
    }
    if (size != d.path("size").asLong(-1)) {
      throw new IllegalArgumentException(
          what
              + " "
              + digest
              + " has "
              + size
              + " bytes, its descriptor says "
              + d.path("size").asLong(-1));
    }
    return digest;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
