package io.maestro.core;

import java.util.Objects;

/**
 * A support engineer acting as a tenant user in an impersonation session: who really acts ({@code
 * by}, authenticated {@code byVia}), under which session, and whether that session is in force.
 * Every decision made while impersonating sees both identities ({@code input.actor.impersonation});
 * every receipt carries them in its actor's {@code via} ({@link #via}).
 *
 * @param active false when the session named is not in force (pending, ended, expired, or not the
 *     caller's): the actor is then the support engineer and the policy refuses every action
 * @param state the session's state as stored, e.g. {@code active}, {@code expired}, {@code unknown}
 */
public record Impersonation(String id, String by, String byVia, boolean active, String state) {
  public Impersonation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(byVia, "byVia");
    Objects.requireNonNull(state, "state");
  }

  /**
   * The {@code via} of the impersonated actor, which receipts record: {@code
   * impersonation:<session>:<byVia>:<by>}. It differs from the user's own, so separation of duties
   * never takes the engineer for the user.
   */
  public String via() {
    return "impersonation:" + id + ":" + byVia + ":" + by;
  }
}
