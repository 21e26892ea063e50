package io.maestro.metering;

import io.maestro.core.TenantId;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A page of one tenant's metered events in {@code [from, to)}, optionally of one type, in outbox
 * order after {@code cursor}.
 *
 * @param cursor the {@code next} cursor of the previous page, or empty for the first page
 * @param limit 1..1000 events
 */
public record EventQuery(
    TenantId tenant,
    Instant from,
    Instant to,
    Optional<EventType> type,
    Optional<String> cursor,
    int limit) {
  public static final int MAX_LIMIT = 1000;

  public EventQuery {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(cursor, "cursor");
    if (!from.isBefore(to)) {
      throw new MaestroException(MeteringErrors.BAD_RANGE, "'from' must be before 'to'");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new MaestroException(
          CoreErrors.VALIDATION_FAILED, "limit must be between 1 and " + MAX_LIMIT);
    }
    cursor.ifPresent(EventQuery::afterSeq);
  }

  /** The outbox position a cursor stands for. */
  public static long afterSeq(String cursor) {
    try {
      long seq = Long.parseLong(cursor);
      if (seq < 0) {
        throw new NumberFormatException();
      }
      return seq;
    } catch (NumberFormatException e) {
      throw new MaestroException(MeteringErrors.BAD_CURSOR, "not a cursor from a previous page");
    }
  }

  long afterSeq() {
    return cursor.map(EventQuery::afterSeq).orElse(0L);
  }
}
