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

  public static ActorType ofWire(String wire) {
    for (ActorType t : values()) {
      if (t.wire.equals(wire)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown actor type: " + wire);
  }
}
