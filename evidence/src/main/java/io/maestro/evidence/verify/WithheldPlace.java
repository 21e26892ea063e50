package io.maestro.evidence.verify;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.evidence.withhold.Withholder;

/** Whether a withheld place in a disclosed document carries its SD-JWT-style digest. */
final class WithheldPlace {
  private WithheldPlace() {}

  /**
   * True when the member at {@code pointer} is gone and its parent has an {@code _sd} digest, or
   * the element at {@code pointer} was replaced by a {@code {"...": digest}} marker.
   */
  static boolean marked(JsonNode doc, String pointer) {
    if (pointer.isEmpty()) {
      return doc.path(Withholder.ELEMENT).isTextual();
    }
    JsonPointer p = JsonPointer.compile(pointer);
    JsonNode parent = doc.at(p.head());
    String last = p.last().getMatchingProperty();
    if (parent.isArray()) {
      return parent.path(Integer.parseInt(last)).path(Withholder.ELEMENT).isTextual();
    }
    return parent.isObject()
        && !parent.has(last)
        && parent.path(Withholder.SD).isArray()
        && !parent.path(Withholder.SD).isEmpty();
  }
}
