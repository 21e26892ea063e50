package io.maestro.cli.client;

import io.maestro.cli.UserError;
import io.maestro.client.MaestroApiException;
import io.maestro.client.MaestroClient;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.function.Function;

/**
 * Calls through the Java client ({@link MaestroClient}, module {@code client}) with the CLI's error
 * messages: a problem is "WHAT: detail (code)" with its errors, exactly as {@link ApiClient} words
 * it, and an unreachable server is one line.
 */
public final class ClientCalls {
  private final URI base;
  private final MaestroClient client;

  ClientCalls(URI base, MaestroClient client) {
    this.base = base;
    this.client = client;
  }

  /** Runs {@code call} for its effect, with the same error messages as {@link #call}. */
  public void run(java.util.function.Consumer<MaestroClient> call, String path, String what) {
    call(
        c -> {
          call.accept(c);
          return null;
        },
        path,
        what);
  }

  /** The answer of {@code call}; {@code what} and {@code path} name it in an error. */
  public <T> T call(Function<MaestroClient, T> call, String path, String what) {
    try {
      return call.apply(client);
    } catch (MaestroApiException e) {
      throw new UserError(what + ": " + new ApiClient.Reply(e.status(), e.problem()).problem());
    } catch (MaestroClient.StreamBrokenException e) {
      throw new UserError(what + ": " + e.getMessage());
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof ConnectException) {
        throw new UserError(
            "cannot reach the server at " + base + " (is `maestro server` running?)");
      }
      throw new UserError("request to " + base + path + " failed: " + e.getCause().getMessage());
    } catch (MaestroClient.ClientInterruptedException e) {
      throw new UserError("interrupted");
    }
  }
}
