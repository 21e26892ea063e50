package io.maestro.cli.client;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options every client command shares: where the server is ({@code --url}, {@code MAESTRO_URL},
 * default {@code http://localhost:8080}) and where the CLI keeps its state such as credentials
 * ({@code MAESTRO_HOME}, default {@code ~/.maestro}). Add it to a command with {@code @Mixin
 * ClientOptions client;}.
 */
public final class ClientOptions {
  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "Server URL (default: $MAESTRO_URL, else the server of maestro login, else"
              + " http://localhost:8080).")
  String url;

  public URI serverUrl() {
    String u = url;
    if (u == null) {
      u = System.getenv("MAESTRO_URL");
    }
    if (u == null || u.isBlank()) {
      u =
          Credentials.load(home())
              .map(Credentials::url)
              .filter(s -> !s.isBlank())
              .orElse("http://localhost:8080");
    }
    return URI.create(u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
  }

  /** The CLI's state directory. */
  public static Path home() {
    String h = System.getenv("MAESTRO_HOME");
    return h != null && !h.isBlank()
        ? Path.of(h)
        : Path.of(System.getProperty("user.home"), ".maestro");
  }
}
