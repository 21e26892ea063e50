package io.maestro.engine.manifest;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The rules of {@code onFailure} (ADR 0050). A task named in some task's {@code onFailure} is a
 * compensation task: it runs only when a task that names it fails or times out for good, so
 *
 * <ul>
 *   <li>{@code onFailure} names existing tasks other than the task itself;
 *   <li>a compensation task declares no {@code onFailure} of its own (a failed compensation is
 *       recorded, not compensated again);
 *   <li>no ordinary task needs a compensation task (it would wait for a step that normally never
 *       runs);
 *   <li>a compensation task may need ordinary tasks (it then runs only when they succeeded: undo
 *       only what was done) and other compensation tasks, which the same {@code onFailure} must
 *       name too (a compensation it waits for that was not started would never come).
 * </ul>
 */
final class Compensations {
  private Compensations() {}

  static void check(
      List<TaskSpec> tasks,
      Map<String, Integer> index,
      String path,
      BiConsumer<String, String> problem) {
    Set<String> compensation = new java.util.HashSet<>();
    // A task that names itself is reported as such, not as a compensation task besides.
    tasks.forEach(
        t -> t.onFailure().stream().filter(n -> !n.equals(t.id())).forEach(compensation::add));
    for (int i = 0; i < tasks.size(); i++) {
      TaskSpec t = tasks.get(i);
      String tp = path + "[" + i + "]";
      if (compensation.contains(t.id()) && !t.onFailure().isEmpty()) {
        problem.accept(
            tp + ".onFailure",
            "compensation task '"
                + t.id()
                + "' cannot declare onFailure: it runs only when another task fails");
      }
      if (!compensation.contains(t.id())) {
        for (int j = 0; j < t.needs().size(); j++) {
          String need = t.needs().get(j);
          if (compensation.contains(need)) {
            problem.accept(
                tp + ".needs[" + j + "]",
                "needs compensation task '"
                    + need
                    + "', which runs only when a task fails (see onFailure)");
          }
        }
      }
      for (int j = 0; j < t.onFailure().size(); j++) {
        String named = t.onFailure().get(j);
        String np = tp + ".onFailure[" + j + "]";
        if (named.equals(t.id())) {
          problem.accept(np, "task '" + t.id() + "' names itself in onFailure");
        } else if (!index.containsKey(named)) {
          problem.accept(np, "onFailure names unknown task '" + named + "'");
        } else {
          for (String need : tasks.get(index.get(named)).needs()) {
            if (compensation.contains(need) && !t.onFailure().contains(need)) {
              problem.accept(
                  np,
                  "compensation task '"
                      + named
                      + "' needs compensation task '"
                      + need
                      + "': name it in this onFailure too");
            }
          }
        }
      }
    }
  }
}
