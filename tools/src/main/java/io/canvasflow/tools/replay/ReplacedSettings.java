package io.canvasflow.tools.replay;

import io.canvasflow.topology.CanvasFlowConfig;
import io.canvasflow.topology.SettingNames;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a tool says, in one line on standard error before its runs start, about settings the user
 * gave that its runs do not take as given: the mode settings a {@code --config} file or a {@code
 * CANVASFLOW_*} variable sets, which each run replaces with its mode's own (replay, {@code bench
 * pipeline}), and the variables that runs in child JVMs are not given ({@code bench scale}'s
 * serves). Said, not refused: a serve configuration may well set them, and its other settings
 * apply. A {@code -D} of a setting the runs set is refused instead ({@link OwnedSettings}).
 */
public final class ReplacedSettings {

    private ReplacedSettings() {}

    /**
     * The mode settings a {@code --config} file or a {@code CANVASFLOW_*} variable sets, which the
     * runs replace with their modes' own.
     *
     * @param config the configuration the runs start from
     * @param modes the modes the command runs
     * @return one sentence naming them and where each came from, or null
     */
    public static String byModes(CanvasFlowConfig config, List<ReplayMode> modes) {
        // Sorted: the origins map's iteration order differs from one JVM to the next.
        List<String> replaced = new ArrayList<>();
        new TreeMap<>(config.origins())
                .forEach(
                        (key, origin) -> {
                            boolean setByMode =
                                    modes.stream().anyMatch(m -> m.settings().containsKey(key));
                            if (setByMode && !origin.equals("command line")) {
                                replaced.add(key + " (" + origin + ")");
                            }
                        });
        return sentence(
                replaced,
                "replaced in each run by its mode's own value; the runs measure the modes, not"
                        + " that setting");
    }

    /**
     * The variables of this JVM's environment that serve's configuration reads ({@link
     * SettingNames#isReadFromEnvironment}) and the runs' environment lacks.
     *
     * @param environment this JVM's environment
     * @param runs the environment the runs get
     * @return one sentence naming them, or null
     */
    public static String notPassedOn(Map<String, String> environment, Map<String, String> runs) {
        List<String> left =
                new TreeSet<>(environment.keySet())
                        .stream()
                                .filter(
                                        v ->
                                                SettingNames.isReadFromEnvironment(
                                                        v, environment.get(v)))
                                .filter(variable -> !runs.containsKey(variable))
                                .toList();
        return sentence(
                left,
                "not passed on to the runs, which take only the benchmark's settings and -D; give a"
                        + " setting as -D to measure with it");
    }

    /** "A, B are" or "A is", then the rest; null for none. */
    private static String sentence(List<String> names, String rest) {
        return names.isEmpty()
                ? null
                : String.join(", ", names) + (names.size() == 1 ? " is " : " are ") + rest;
    }

    /**
     * Says a sentence of this class, if there is one.
     *
     * @param command the command, for the line: {@code canvasflow replay}
     * @param sentence what {@link #byModes} or {@link #notPassedOn} said, or null
     * @param err where the line goes
     */
    public static void say(String command, String sentence, PrintWriter err) {
        if (sentence != null) {
            err.println(command + ": " + sentence);
            err.flush();
        }
    }
}
