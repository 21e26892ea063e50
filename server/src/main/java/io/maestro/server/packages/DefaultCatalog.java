package io.maestro.server.packages;

import io.maestro.provenance.KeyRing;
import io.maestro.provenance.keys.Signer;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.packages.PackageCatalog;
import io.maestro.provenance.packages.PackageCheck;
import io.maestro.provenance.packages.PackageProvenance;
import io.maestro.provenance.packages.WorkflowPackage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The default catalog: the golden workflows shipped with the server ({@code examples/golden/},
 * resources under {@value #ROOT}), each packaged as {@code golden-<directory>} version {@value
 * #VERSION} with its provenance (built by this server from the shipped tree's digest) and signed by
 * the installation's catalog key ({@code <dataDir>/catalog-keys}, a key ring of its own so no other
 * signature of the server's can pass for a package). Built once, on first use; every tenant trusts
 * the catalog key, and an install checks the package's chain like any other. Thread-safe.
 */
public final class DefaultCatalog {
  static final String ROOT = "catalog/golden";
  static final String VERSION = "1";
  private static final Logger LOG = Logger.getLogger(DefaultCatalog.class.getName());

  private final KeyRing keys;
  private final String builder;
  private final Instant builtAt;
  private volatile Map<String, Packaged> packages;

  /** A package of the default catalog: its bytes and what checking them found. */
  public record Packaged(byte[] content, PackageCatalog.Entry entry) {}

  /**
   * @param keys the catalog's key ring
   * @param builder the builder the provenance names, e.g. {@code maestro-server/0.1.0}
   * @param builtAt when the catalog was built (shown as its publication time)
   */
  public DefaultCatalog(KeyRing keys, String builder, Instant builtAt) {
    this.keys = keys;
    this.builder = builder;
    this.builtAt = builtAt;
  }

  /** The catalog key's public half, trusted by every tenant. */
  public TrustedKeys publicKeys() {
    return keys.publicKeys();
  }

  /** The default catalog's packages by name (empty when no golden workflows are on the path). */
  public Map<String, Packaged> packages() {
    Map<String, Packaged> p = packages;
    if (p == null) {
      synchronized (this) {
        if (packages == null) {
          packages = build();
        }
        p = packages;
      }
    }
    return p;
  }

  public Optional<Packaged> get(String name) {
    return Optional.ofNullable(packages().get(name));
  }

  private Map<String, Packaged> build() {
    Map<String, Map<String, byte[]>> trees = read();
    if (trees.isEmpty()) {
      return Map.of();
    }
    Signer signer = keys.requireSigner();
    TrustedKeys trusted = keys.publicKeys();
    Map<String, Packaged> out = new TreeMap<>();
    trees.forEach(
        (dir, files) -> {
          String name = "golden-" + dir;
          WorkflowPackage pkg = WorkflowPackage.of(files, name, VERSION);
          pkg =
              pkg.withProvenance(
                      PackageProvenance.statement(
                          pkg,
                          builder,
                          PackageProvenance.Source.tree("maestro:examples/golden/" + dir, pkg)))
                  .sign(signer);
          byte[] bytes = pkg.toBytes();
          PackageCheck check = PackageCheck.of(pkg, trusted);
          out.put(
              name,
              new Packaged(bytes, PackageCatalog.Entry.of(check, builder, builtAt, "default")));
        });
    LOG.info("default catalog: " + out.size() + " signed golden workflow packages");
    return Collections.unmodifiableMap(out);
  }

  /** Directory → (path → bytes) of the golden workflows on the class path. */
  static Map<String, Map<String, byte[]>> read() {
    URL url = DefaultCatalog.class.getClassLoader().getResource(ROOT);
    if (url == null) {
      return Map.of();
    }
    try {
      URI uri = url.toURI();
      if (uri.getScheme().equals("jar")) {
        try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
          return trees(fs.provider().getPath(uri));
        } catch (java.nio.file.FileSystemAlreadyExistsException e) {
          return trees(FileSystems.getFileSystem(uri).provider().getPath(uri));
        }
      }
      return trees(Path.of(uri));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Map<String, byte[]>> trees(Path root) throws IOException {
    Map<String, Map<String, byte[]>> out = new TreeMap<>();
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> s = Files.list(root)) {
      s.filter(Files::isDirectory).forEach(dirs::add);
    }
    for (Path dir : dirs) {
      Map<String, byte[]> files = new LinkedHashMap<>();
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
          files.put(dir.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
        }
      }
      String name = dir.getFileName().toString().replace("/", "");
      if (!files.isEmpty()) {
        out.put(name, files);
      }
    }
    return out;
  }
}
