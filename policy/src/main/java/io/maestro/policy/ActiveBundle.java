package io.maestro.policy;

import io.maestro.policy.bundle.Bundle;
import io.maestro.policy.bundle.BundleVerifier;
import io.maestro.rego.PreparedPolicy;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The verified, compiled bundles that decide. Immutable; the decision point swaps one for another
 * atomically on reload, so a decision always uses one set of bundles from start to end.
 *
 * @param loaded every loaded bundle, the main one first; their roots do not overlap
 * @param policy all their modules and data compiled together
 */
public record ActiveBundle(List<Loaded> loaded, PreparedPolicy policy, Instant activatedAt) {

  /** One loaded bundle with what its verification established and its content digest. */
  public record Loaded(Bundle bundle, BundleVerifier.Verified verified, String digest) {
    public Loaded {
      Objects.requireNonNull(bundle);
      Objects.requireNonNull(verified);
      Objects.requireNonNull(digest);
    }

    public String name() {
      return bundle.name();
    }
  }

  public ActiveBundle {
    loaded = List.copyOf(loaded);
    if (loaded.isEmpty()) {
      throw new IllegalArgumentException("at least one bundle");
    }
    Objects.requireNonNull(policy);
    Objects.requireNonNull(activatedAt);
  }

  /** The main bundle: the one whose roots hold {@code data.maestro.authz}. */
  public Bundle bundle() {
    return loaded.get(0).bundle();
  }

  public BundleVerifier.Verified verified() {
    return loaded.get(0).verified();
  }

  /** The main bundle's content digest ({@code sha256:…}), stable across archive encodings. */
  public String digest() {
    return loaded.get(0).digest();
  }

  /** The main bundle's revision: the one every decision names. */
  public String revision() {
    return bundle().revision();
  }

  /** Every loaded bundle's revision by name, as the decision log reports them. */
  public Map<String, String> revisions() {
    Map<String, String> out = new LinkedHashMap<>();
    loaded.forEach(l -> out.put(l.name(), l.bundle().revision()));
    return out;
  }
}
