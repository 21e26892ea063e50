package io.maestro.metering;

/** Who caused a metered action: a person, a service account, or Maestro itself. */
public enum ActorType {
  USER("user"),
  SERVICE("service"),
  SYSTEM("system");

  private final String wire;

  ActorType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /**
   * Who caused a metered action, from its actor's subject and how it authenticated ({@code via}):
   * the platform when it acted on its own ({@code system}), a service account when the subject is
   * one ({@code svc:} or {@code service:}), else a user.
   */
  public static ActorType of(String subject, String via) {
    if ("system".equals(via)) {
      return SYSTEM;
    }
    return subject.startsWith("svc:") || subject.startsWith("service:") ? SERVICE : USER;
  }

  public static ActorType ofWire(String wire) {
    for (ActorType t : values()) {
      if (t.wire.equals(wire)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown actor type: " + wire);
  }
}
