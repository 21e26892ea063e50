package io.maestro.store.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs PostgreSQL. Where none is reachable the whole class is skipped
 * before any of its set-up or tear-down runs (so a tear-down never meets a database that was never
 * opened), with one line saying so; under {@code CI=true} the class runs and its first use of the
 * database fails, since CI must run the PostgreSQL suites.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(PostgresCondition.class)
public @interface RequiresPostgres {}
