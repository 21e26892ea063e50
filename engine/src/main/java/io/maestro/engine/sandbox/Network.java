package io.maestro.engine.sandbox;

/** Network access of a sandboxed command. */
public enum Network {
  /**
   * The default: a private network namespace holding only a loopback interface of its own. Nothing
   * outside the sandbox, including services on the host's {@code 127.0.0.1}, can be reached.
   */
  NONE,
  /**
   * The host's network namespace, with {@code /etc/resolv.conf} and the CA certificates bound in.
   * Everything the host can reach is reachable, including services on the host's loopback and
   * abstract Unix sockets. The sandbox enforces no egress allowlist in this mode: the caller must
   * only grant it to steps whose policy allows unrestricted egress.
   */
  HOST
}
