package io.maestro.provenance.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.provenance.ReceiptJson;
import io.maestro.provenance.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Keys as one JSON file each in a directory (by default {@code <dataDir>/keys}), readable and
 * writable by the owner only: the directory is 0700 and each file 0600. A key file with wider
 * permissions is refused (reported as a problem), as ssh does, because its secrecy cannot be
 * assumed any more.
 */
public final class FileKeyStore implements KeyStore {
  private static final Set<PosixFilePermission> FILE_PERMS =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> DIR_PERMS =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);

  private final Path dir;
  private final boolean posix;

  public FileKeyStore(Path dir) {
    this.dir = dir.toAbsolutePath();
    this.posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** The store under a data directory: {@code <dataDir>/keys}. */
  public static FileKeyStore inDataDir(Path dataDir) {
    return new FileKeyStore(dataDir.resolve("keys"));
  }

  public Path directory() {
    return dir;
  }

  @Override
  public String describe() {
    return "file key store " + dir;
  }

  @Override
  public synchronized Loaded load() {
    List<StoredKey> keys = new ArrayList<>();
    List<KeyProblem> problems = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return new Loaded(keys, problems);
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "key-*.json")) {
      for (Path f : files) {
        try {
          if (posix) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
            if (!FILE_PERMS.equals(perms)) {
              problems.add(
                  new KeyProblem(
                      f.toString(),
                      "permissions are "
                          + PosixFilePermissions.toString(perms)
                          + ", expected rw------- (0600)"));
              continue;
            }
          }
          keys.add(read(Files.readString(f, StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
          problems.add(new KeyProblem(f.toString(), "unreadable: " + e.getMessage()));
        }
      }
    } catch (IOException e) {
      problems.add(new KeyProblem(dir.toString(), "cannot list keys: " + e.getMessage()));
    }
    keys.sort(java.util.Comparator.comparing(k -> k.info().created()));
    return new Loaded(keys, problems);
  }

  @Override
  public synchronized void save(StoredKey key) {
    try {
      createDirectory();
      Path target = dir.resolve(fileName(key.info()));
      Path tmp = dir.resolve(".tmp-" + fileName(key.info()));
      Files.deleteIfExists(tmp);
      if (posix) {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(FILE_PERMS));
      } else {
        Files.createFile(tmp);
      }
      Files.writeString(tmp, write(key), StandardCharsets.UTF_8);
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot save key " + key.info().keyId() + ": " + e.getMessage(), e);
    }
  }

  private void createDirectory() throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (posix) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_PERMS));
      Files.setPosixFilePermissions(dir, DIR_PERMS); // umask may have narrowed the request
    } else {
      Files.createDirectories(dir);
    }
  }

  /** The file of a key: its hash and creation time (key names may contain '/'). */
  static String fileName(PublicKeyInfo info) {
    return "key-"
        + info.created().toEpochMilli()
        + "-"
        + HexFormat.of().toHexDigits(info.keyHash())
        + ".json";
  }

  private static String write(StoredKey key) {
    PublicKeyInfo i = key.info();
    ObjectNode o = Json.object();
    o.put("algorithm", "Ed25519");
    o.put("name", i.name());
    o.put("kid", i.keyId());
    o.put("public_key", Base64.getEncoder().encodeToString(i.publicKey()));
    o.put("private_seed", Base64.getEncoder().encodeToString(key.seed()));
    o.put("created", ReceiptJson.formatTime(i.created()));
    o.put("status", i.status().name().toLowerCase(Locale.ROOT));
    i.retired().ifPresent(t -> o.put("retired", ReceiptJson.formatTime(t)));
    return Json.writePretty(o) + "\n";
  }

  private static StoredKey read(String text) {
    JsonNode o = Json.parse(text);
    if (!"Ed25519".equals(o.path("algorithm").asText())) {
      throw new IllegalArgumentException("not an Ed25519 key");
    }
    byte[] seed = Base64.getDecoder().decode(o.path("private_seed").asText());
    byte[] pub = Base64.getDecoder().decode(o.path("public_key").asText());
    if (!java.util.Arrays.equals(Ed25519.publicKey(seed), pub)) {
      throw new IllegalArgumentException("private and public key do not match");
    }
    PublicKeyInfo info =
        PublicKeyInfo.of(
            o.path("name").asText(),
            pub,
            ReceiptJson.parseTime(o.path("created").asText()),
            PublicKeyInfo.KeyStatus.valueOf(o.path("status").asText().toUpperCase(Locale.ROOT)),
            o.has("retired")
                ? Optional.of(ReceiptJson.parseTime(o.get("retired").asText()))
                : Optional.empty());
    return new StoredKey(info, seed);
  }
}
