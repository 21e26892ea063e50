package io.maestro.engine.expr;

import io.maestro.core.problem.ErrorCode;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.EngineErrors;

/** An expression that does not compile, or failed while evaluating. */
public final class ExpressionException extends MaestroException {
  private static final long serialVersionUID = 1L;

  public ExpressionException(String detail) {
    super(EngineErrors.EXPRESSION_FAILED, detail);
  }

  /** A failure with its own code, e.g. {@code output_too_large} for a value over the limit. */
  public ExpressionException(ErrorCode code, String detail) {
    super(code, detail);
  }
}
