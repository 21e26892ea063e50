package io.maestro.cli.policy;

import io.maestro.cli.UserError;
import io.maestro.core.problem.MaestroException;
import io.maestro.rego.RegoError;
import io.maestro.rego.RegoException;
import io.maestro.rego.ast.Location;
import java.util.List;
import java.util.concurrent.Callable;

/** Turns policy-toolchain failures into one line with file:line:col and an exit code. */
final class PolicyErrorsOut {
  private PolicyErrorsOut() {}

  /** Runs {@code body}; any known failure becomes a {@link UserError} with exit code 1. */
  static int guard(Callable<Integer> body) {
    try {
      return body.call();
    } catch (UserError e) {
      throw e;
    } catch (RegoException e) {
      throw new UserError(String.join(System.lineSeparator(), lines(e)), 1);
    } catch (MaestroException e) {
      throw new UserError(e.getMessage(), 1);
    } catch (java.io.UncheckedIOException e) {
      throw new UserError(e.getCause().getMessage(), 1);
    } catch (Exception e) {
      throw new UserError(e.getClass().getSimpleName() + ": " + e.getMessage(), 1);
    }
  }

  /** One {@code file:line:col: code: detail} line per error the exception carries. */
  static List<String> lines(RegoException e) {
    if (e.errors().isEmpty()) {
      return List.of(line(e));
    }
    return e.errors().stream().map(RegoError::toString).toList();
  }

  /** {@code file:line:col: code: detail}, OPA's error shape. */
  static String line(RegoException e) {
    Location l = e.location();
    if (l == null) {
      return e.code() + ": " + e.detail();
    }
    return l.file()
        + ":"
        + l.line()
        + ":"
        + Math.max(l.col(), 1)
        + ": "
        + e.code()
        + ": "
        + e.detail();
  }
}
