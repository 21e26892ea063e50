package io.maestro.core;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;

/**
 * Who a person is for separation of duties: the issuer that vouched for them and their subject,
 * normalized. Token subjects are compared the way people read them, so {@code Operator@acme} and
 * {@code operator@acme } are one approver, not two: the subject is NFKC-normalized, stripped of
 * surrounding white space and case-folded.
 *
 * @param issuer which trusted issuer authenticated the person ({@link Actor#via()})
 * @param subject the normalized subject
 */
public record PersonId(String issuer, String subject) {
  public PersonId {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(subject, "subject");
  }

  public static PersonId of(Actor actor) {
    return new PersonId(actor.via(), normalize(actor.subject()));
  }

  /** NFKC, stripped, case-folded (upper then lower case, so that e.g. 'ß' and "SS" agree). */
  public static String normalize(String subject) {
    return Normalizer.normalize(subject, Normalizer.Form.NFKC)
        .strip()
        .toUpperCase(Locale.ROOT)
        .toLowerCase(Locale.ROOT);
  }

  /** One string for storage and comparison: {@code issuer|subject}. */
  public String key() {
    return issuer + "|" + subject;
  }
}
