package io.maestro.core.config;

/**
 * How the server runs. {@code DEV}: readable logs and the built-in dev token issuer. {@code PROD}:
 * JSON logs, tokens only from the configured OIDC provider.
 */
public enum Mode {
  DEV,
  PROD
}
