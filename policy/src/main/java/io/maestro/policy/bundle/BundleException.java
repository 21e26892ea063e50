package io.maestro.policy.bundle;

import io.maestro.core.problem.ErrorCode;
import io.maestro.core.problem.MaestroException;
import io.maestro.policy.PolicyErrors;
import java.util.Map;

/** A bundle that cannot be read, built or loaded. The message names the file at fault. */
public class BundleException extends MaestroException {
  private static final long serialVersionUID = 1L;

  public BundleException(String detail) {
    this(PolicyErrors.BUNDLE_INVALID, detail, null);
  }

  public BundleException(String detail, Throwable cause) {
    this(PolicyErrors.BUNDLE_INVALID, detail, cause);
  }

  protected BundleException(ErrorCode code, String detail, Throwable cause) {
    super(code, detail, Map.of(), false, cause);
  }

  /** Two bundles' roots overlap; {@code detail} names both bundles and both roots. */
  public static BundleException rootsOverlap(String detail) {
    return new BundleException(PolicyErrors.BUNDLE_ROOTS_OVERLAP, detail, null);
  }
}
