package io.maestro.engine.expr;

import io.maestro.core.problem.MaestroException;
import io.maestro.engine.EngineErrors;

/** An expression that does not compile, or failed while evaluating. */
public final class ExpressionException extends MaestroException {
  private static final long serialVersionUID = 1L;

  public ExpressionException(String detail) {
    super(EngineErrors.EXPRESSION_FAILED, detail);
  }
}
