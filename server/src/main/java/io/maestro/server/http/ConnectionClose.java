package io.maestro.server.http;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Closes the connection once the response is sent when the client asked for that ({@code
 * Connection: close}). Helidon answers such a request with the header but would otherwise keep
 * reading the socket until the idle timeout, holding a connection slot the client has given up.
 * Installed first, so it acts after every other filter has finished.
 */
final class ConnectionClose implements Filter {
  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    boolean close = req.headers().containsToken(HeaderValues.CONNECTION_CLOSE);
    chain.proceed();
    if (close && res.isSent()) {
      throw new CloseConnectionException("the client asked to close the connection");
    }
  }
}
