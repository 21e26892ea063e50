package io.maestro.cli.client;

import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What a command that calls the API as the signed-in user needs: the server ({@link ClientOptions})
 * and the bearer token ({@code --token}, else {@code MAESTRO_TOKEN}, else the credentials {@code
 * maestro login} saved). Add it with {@code @Mixin ApiOptions api;}.
 */
public final class ApiOptions {
  @Mixin ClientOptions client;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "Bearer token (default: $MAESTRO_TOKEN, else the one maestro login saved).")
  String token;

  /**
   * The Java client ({@code client} module) for the server as the caller, with the CLI's error
   * messages; fails with "not logged in" when there is no token.
   */
  public ClientCalls client() {
    java.net.URI base = client.serverUrl();
    return new ClientCalls(
        base,
        io.maestro.client.MaestroClient.of(
            base.toString(), ApiClient.token(Optional.ofNullable(token), ClientOptions.home())));
  }

  /** A client for the server as the caller; fails with "not logged in" when there is no token. */
  public ApiClient connect() {
    return new ApiClient(
        client.serverUrl(), ApiClient.token(Optional.ofNullable(token), ClientOptions.home()));
  }
}
