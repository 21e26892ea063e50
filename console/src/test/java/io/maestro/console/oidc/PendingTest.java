package io.maestro.console.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The secrets of a sign-in in flight: PKCE S256 as RFC 7636 defines it, and the cookie form. */
class PendingTest {
  @Test
  void theChallengeIsRfc7636sS256OfTheVerifier() {
    // RFC 7636, appendix B.
    var p =
        new OidcClient.Pending(
            "s".repeat(43), "n".repeat(43), "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    assertThat(p.challenge()).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  }

  @Test
  void freshSecretsAreDistinct32ByteValuesThatSurviveTheCookie() {
    var a = OidcClient.Pending.fresh();
    var b = OidcClient.Pending.fresh();
    assertThat(a.state()).hasSize(43).isNotEqualTo(a.nonce()).isNotEqualTo(b.state());
    assertThat(a.verifier()).hasSize(43).isNotEqualTo(b.verifier());
    assertThat(OidcClient.Pending.parse(a.cookieValue())).hasValue(a);
  }

  @Test
  void aTamperedOrTruncatedCookieIsNoSignIn() {
    var a = OidcClient.Pending.fresh();
    assertThat(OidcClient.Pending.parse(a.cookieValue().substring(1))).isEmpty();
    assertThat(OidcClient.Pending.parse(a.state() + "." + a.nonce())).isEmpty();
    assertThat(OidcClient.Pending.parse("")).isEmpty();
    assertThat(OidcClient.Pending.parse(null)).isEmpty();
    assertThat(OidcClient.Pending.parse(a.cookieValue() + ";x")).isEmpty();
  }
}
