package io.maestro.provenance.release;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes small OCI image tarballs (the layout jib:buildTar writes) for tests. */
final class OciTarball {
  private OciTarball() {}

  /** An image of one layer holding {@code content} as {@code /hello.txt}. */
  static Path write(Path file, String content) throws IOException {
    byte[] layerTar = tar(Map.of("hello.txt", content.getBytes(StandardCharsets.UTF_8)));
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      z.write(layerTar);
    }
    byte[] layer = gz.toByteArray();
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"User\":\"10001:10001\"},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
                + sha(layerTar)
                + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", config)
                + ",\"layers\":["
                + descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer)
                + "]}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] index =
        ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:"
                + sha(manifest)
                + "\",\"size\":"
                + manifest.length
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"test/app:1\"}}]}")
            .getBytes(StandardCharsets.UTF_8);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(
        "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    entries.put("index.json", index);
    for (byte[] blob : new byte[][] {config, manifest, layer}) {
      entries.put("blobs/sha256/" + sha(blob), blob);
    }
    Files.write(file, tar(entries));
    return file;
  }

  static String manifestDigest(Path tarball) throws IOException {
    return OciImage.read(tarball).manifestDigest();
  }

  private static String descriptor(String type, byte[] blob) {
    return "{\"mediaType\":\"%s\",\"digest\":\"sha256:%s\",\"size\":%d}"
        .formatted(type, sha(blob), blob.length);
  }

  /** A plain ustar archive of regular files. */
  static byte[] tar(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      byte[] h = new byte[512];
      put(h, 0, f.getKey());
      put(h, 100, "0000644");
      put(h, 108, "0000000");
      put(h, 116, "0000000");
      put(h, 124, String.format("%011o", f.getValue().length));
      put(h, 136, "00000000000");
      h[156] = '0';
      put(h, 257, "ustar");
      put(h, 263, "00");
      java.util.Arrays.fill(h, 148, 156, (byte) ' ');
      int sum = 0;
      for (byte b : h) {
        sum += b & 0xff;
      }
      put(h, 148, String.format("%06o", sum));
      h[154] = 0;
      out.write(h);
      out.write(f.getValue());
      pad(out, f.getValue().length);
    }
    out.write(new byte[1024]);
    return out.toByteArray();
  }

  private static void pad(OutputStream out, int size) throws IOException {
    out.write(new byte[(512 - size % 512) % 512]);
  }

  private static void put(byte[] h, int off, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, b.length);
  }

  static String sha(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
