package io.maestro.store.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link RequiresPostgres}. */
public final class PostgresCondition implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if ("true".equals(System.getenv("CI")) || TestDatabase.postgresReachable()) {
      return ConditionEvaluationResult.enabled("PostgreSQL is required and not skipped");
    }
    return ConditionEvaluationResult.disabled(
        "PostgreSQL not reachable at " + TestDatabase.postgresUrl() + ": skipped");
  }
}
