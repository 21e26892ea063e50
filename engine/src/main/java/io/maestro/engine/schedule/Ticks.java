package io.maestro.engine.schedule;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The tick arithmetic of a schedule, free of the database and the clock: which tick is due at a
 * given instant, which were missed, and which comes next. Every process computes the same answer
 * for the same schedule row and instant (jitter is derived from the tick, not drawn at random), so
 * two schedulers agree on what to claim.
 *
 * <p>A tick is due once its time plus its jitter delay has passed. It still fires up to {@code
 * catchUp} (at least {@link #GRACE}) after that; when several ticks are due at once (after
 * downtime), only the latest fires and the earlier ones are reported as missed.
 */
public final class Ticks {
  /** The least lateness a tick tolerates, so a busy or briefly paused scheduler misses none. */
  public static final Duration GRACE = Duration.ofMinutes(1);

  /** Bounds the walk over ticks after a long downtime before jumping to the catch-up window. */
  private static final int MAX_WALK = 10_000;

  private Ticks() {}

  /**
   * What a scheduler pass at {@code now} does with a schedule whose next unhandled tick is {@code
   * nextTick}.
   *
   * @param fire the tick to fire now, if any
   * @param missed how many ticks were too late (or superseded by a later due tick)
   * @param firstMissed the earliest of those
   * @param next the schedule's next unhandled tick after this pass; empty when none comes
   */
  public record Plan(
      Optional<Instant> fire, long missed, Optional<Instant> firstMissed, Optional<Instant> next) {
    public boolean changes(Optional<Instant> before) {
      return fire.isPresent() || missed > 0 || !next.equals(before);
    }
  }

  public static Plan plan(Schedule s, Cron cron, Instant now) {
    Duration window = s.catchUp().compareTo(GRACE) < 0 ? GRACE : s.catchUp();
    Optional<Instant> t = s.nextTick();
    Optional<Instant> fire = Optional.empty();
    Optional<Instant> firstMissed = Optional.empty();
    long missed = 0;
    int walked = 0;
    while (t.isPresent()) {
      Instant tick = t.get();
      Instant at = tick.plus(delay(s, tick));
      if (at.isAfter(now)) {
        break;
      }
      if (walked++ > MAX_WALK) {
        // Far behind (a long downtime of a frequent schedule): everything before the window is
        // missed; count what was walked and resume just before the window.
        missed += 1;
        if (firstMissed.isEmpty()) {
          firstMissed = Optional.of(tick);
        }
        t = cron.next(now.minus(window).minus(s.jitter()).minusSeconds(60), s.zone());
        walked = 0;
        continue;
      }
      if (at.isBefore(now.minus(window))) {
        missed++;
        if (firstMissed.isEmpty()) {
          firstMissed = Optional.of(tick);
        }
      } else {
        if (fire.isPresent()) {
          missed++;
          if (firstMissed.isEmpty()) {
            firstMissed = fire;
          }
        }
        fire = Optional.of(tick);
      }
      t = cron.next(tick, s.zone());
    }
    return new Plan(fire, missed, firstMissed, t);
  }

  /** The tick's jitter delay: 0 to {@code jitter} seconds, fixed by the schedule and the tick. */
  public static Duration delay(Schedule s, Instant tick) {
    long bound = s.jitter().toSeconds();
    if (bound <= 0) {
      return Duration.ZERO;
    }
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  (s.tenant().value() + "/" + s.id() + "/" + tick.getEpochSecond())
                      .getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (h[i] & 0xff);
      }
      return Duration.ofSeconds(Math.floorMod(v, bound + 1));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }
}
