package io.maestro.metering;

import java.util.List;
import java.util.Optional;

/**
 * One page of events.
 *
 * @param next the cursor for the following page, empty on the last page
 */
public record EventPage(List<StoredEvent> events, Optional<String> next) {
  public EventPage {
    events = List.copyOf(events);
  }
}
