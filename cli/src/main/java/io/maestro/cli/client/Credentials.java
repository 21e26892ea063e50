package io.maestro.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.cli.UserError;
import io.maestro.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The signed-in identity the CLI sends: {@code $MAESTRO_HOME/credentials} (default {@code
 * ~/.maestro/credentials}), a JSON document with the server URL, the bearer token and what it says
 * (subject, tenant, roles, expiry). Written owner-only (0600): the token is a secret.
 *
 * <p>Client commands find their token with {@link #bearer}: {@code --token}, else {@code
 * MAESTRO_TOKEN}, else this file.
 */
public record Credentials(String url, String token, JsonNode details) {
  public static final String FILE = "credentials";
  private static final ObjectMapper JSON = Json.MAPPER;

  public static Path file(Path home) {
    return home.resolve(FILE);
  }

  public static Optional<Credentials> load(Path home) {
    Path f = file(home);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(f.toFile());
      if (!n.path("token").isTextual()) {
        throw new UserError(f + " holds no token; run maestro login again");
      }
      return Optional.of(new Credentials(n.path("url").asText(""), n.get("token").asText(), n));
    } catch (IOException e) {
      throw new UserError("cannot read " + f + ": " + e.getMessage());
    }
  }

  /** The bearer token to send: the flag, {@code MAESTRO_TOKEN}, or the credentials file. */
  public static Optional<String> bearer(Optional<String> flag, Path home) {
    if (flag.isPresent() && !flag.get().isBlank()) {
      return flag.map(String::trim);
    }
    String env = System.getenv("MAESTRO_TOKEN");
    if (env != null && !env.isBlank()) {
      return Optional.of(env.trim());
    }
    return load(home).map(Credentials::token);
  }

  /** Writes the credentials owner-only, replacing any previous ones atomically. */
  public Path save(Path home) {
    ObjectNode o = details.isObject() ? ((ObjectNode) details).deepCopy() : JSON.createObjectNode();
    o.put("url", url);
    o.put("token", token);
    Path f = file(home);
    try {
      Files.createDirectories(home);
      Path tmp;
      try {
        tmp =
            Files.createTempFile(
                home,
                ".credentials",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        tmp = Files.createTempFile(home, ".credentials", ".tmp");
      }
      Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o));
      Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return f;
    } catch (IOException e) {
      throw new UserError("cannot write " + f + ": " + e.getMessage());
    }
  }
}
