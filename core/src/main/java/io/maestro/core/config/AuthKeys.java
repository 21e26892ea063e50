package io.maestro.core.config;

import static io.maestro.core.config.KeySpec.key;

import java.util.List;

/** Sign-in: the OIDC provider whose tokens the API accepts and the console signs in at. */
public final class AuthKeys {
  public static final ConfigKey<String> OIDC_ISSUER =
      key("auth.oidc.issuer", "", String::trim)
          .doc(
              "Issuer (`iss`) of the OIDC provider whose bearer tokens are accepted. Empty:"
                  + " none.");
  public static final ConfigKey<String> OIDC_JWKS_URL =
      key("auth.oidc.jwksUrl", "", ConfigValues::parseHttpUrl)
          .doc(
              "URL of the OIDC provider's JWKS (signing keys); required with"
                  + " `auth.oidc.issuer`.");
  public static final ConfigKey<String> OIDC_AUDIENCE =
      key("auth.oidc.audience", "maestro", ConfigValues::nonBlank)
          .doc("Audience (`aud`) an OIDC token must name to be accepted.");
  public static final ConfigKey<String> OIDC_CLIENT_ID =
      key("auth.oidc.clientId", "", String::trim)
          .doc(
              "Client id the web console signs in with at `auth.oidc.issuer` (authorization code +"
                  + " PKCE). Empty: the console offers no OIDC sign-in.");
  public static final ConfigKey<String> OIDC_CLIENT_SECRET =
      key("auth.oidc.clientSecret", "", String::trim)
          .asSecret()
          .doc(
              "The console's client secret, for a confidential client (sent with HTTP Basic to the"
                  + " token endpoint). Empty: a public client (PKCE only). Never logged.");
  public static final ConfigKey<String> OIDC_REDIRECT_URI =
      key("auth.oidc.redirectUri", "", v -> v.isBlank() ? "" : ConfigValues.parseHttpUrl(v))
          .doc(
              "The console's redirect URI registered at the provider. Empty:"
                  + " `/console/oidc/callback` on the scheme and host the browser used.");

  static final List<ConfigKey<?>> ALL =
      List.of(
          OIDC_ISSUER,
          OIDC_JWKS_URL,
          OIDC_AUDIENCE,
          OIDC_CLIENT_ID,
          OIDC_CLIENT_SECRET,
          OIDC_REDIRECT_URI);

  private AuthKeys() {}
}
