package io.maestro.perf.peer;

/**
 * The benchmark's workflow in BPMN for the peer engines: three service tasks in a row, each
 * asynchronous before (so each is a durable job their executor picks up). Step one sets {@code n =
 * 1}, step two sets {@code n = n + 1} (Maestro's step two evaluates the same expression), step
 * three ends the run.
 */
final class ThreeSteps {
  static final String KEY = "three";

  private ThreeSteps() {}

  /**
   * The process for one engine: {@code ns} and {@code prefix} are its extension namespace, {@code
   * asyncAttr} its "async before" attribute, {@code classAttr} its delegate attribute, {@code
   * processAttrs} extra attributes of the process element.
   */
  static String bpmn(
      String ns,
      String prefix,
      String asyncAttr,
      String classAttr,
      String processAttrs,
      Class<?> one,
      Class<?> two,
      Class<?> three) {
    String task =
        "<serviceTask id=\"%s\" "
            + prefix
            + ":"
            + asyncAttr
            + "=\"true\" "
            + prefix
            + ":"
            + classAttr
            + "=\"%s\"/>";
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
                     xmlns:%1$s="%2$s" targetNamespace="perf">
          <process id="three" isExecutable="true" %3$s>
            <startEvent id="start"/>
            <sequenceFlow id="f0" sourceRef="start" targetRef="step1"/>
            %4$s
            <sequenceFlow id="f1" sourceRef="step1" targetRef="step2"/>
            %5$s
            <sequenceFlow id="f2" sourceRef="step2" targetRef="step3"/>
            %6$s
            <sequenceFlow id="f3" sourceRef="step3" targetRef="end"/>
            <endEvent id="end"/>
          </process>
        </definitions>
        """
        .formatted(
            prefix,
            ns,
            processAttrs,
            task.formatted("step1", one.getName()),
            task.formatted("step2", two.getName()),
            task.formatted("step3", three.getName()));
  }
}
