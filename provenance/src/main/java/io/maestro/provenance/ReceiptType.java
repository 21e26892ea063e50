package io.maestro.provenance;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The kind of a receipt, {@code <noun>.<past-tense verb>} in lower case, e.g. {@code run.started}.
 * {@link ReceiptTypes} lists the catalogue ({@code docs/receipts.md} documents it); a module that
 * needs a new type adds it there, so every type a verifier may meet is written down.
 */
public record ReceiptType(String name) {
  private static final Pattern FORM = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");

  public ReceiptType {
    Objects.requireNonNull(name, "receipt type");
    if (name.length() > 100 || !FORM.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid receipt type '" + name + "': use lower-case dotted words, e.g. run.started");
    }
  }

  public static ReceiptType of(String name) {
    return new ReceiptType(name);
  }

  @Override
  public String toString() {
    return name;
  }
}
