package io.canvasflow.tools.replay;

import io.canvasflow.topology.CanvasFlowConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings a replayed run sets for itself: the canvas policy of its mode, its stream threads,
 * the cluster it runs against and its own ids, topics and state directory. A {@code -D} of one of
 * them would be silently overwritten, and a figure measured under settings other than the user
 * asked for; so replay and {@code bench pipeline} refuse it, in one sentence, before anything
 * starts.
 */
public final class OwnedSettings {

    private OwnedSettings() {}

    /**
     * Whether the {@code -D} settings name one that the runs set themselves.
     *
     * @param command the command, for the sentence: {@code canvasflow replay}
     * @param overrides the {@code -D} settings
     * @param modes the modes the command runs
     * @param streamThreads what sets the stream threads, for the sentence: {@code --threads sets
     *     it}
     * @return the problem in one sentence, or null
     */
    public static String problem(
            String command,
            Map<String, String> overrides,
            List<ReplayMode> modes,
            String streamThreads) {
        for (String key : overrides.keySet()) {
            String owner = owner(key, modes, streamThreads);
            if (owner != null) {
                return "-D "
                        + key
                        + " cannot be used with "
                        + command
                        + ": "
                        + owner
                        + "; leave it out";
            }
        }
        return null;
    }

    /**
     * The mode settings a {@code --config} file or a {@code CANVASFLOW_*} variable sets, which the
     * runs replace with their modes' own: said, not refused (a serve configuration file may well
     * set them, and its other settings apply).
     *
     * @param config the configuration the runs start from
     * @param modes the modes the command runs
     * @return one sentence naming them and where each came from, or null
     */
    public static String replacedFromConfig(CanvasFlowConfig config, List<ReplayMode> modes) {
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
        return replaced.isEmpty()
                ? null
                : String.join(", ", replaced)
                        + (replaced.size() == 1 ? " is" : " are")
                        + " replaced in each run by its mode's own value; the runs measure the"
                        + " modes, not that setting";
    }

    private static String owner(String key, List<ReplayMode> modes, String streamThreads) {
        List<String> byMode = new ArrayList<>();
        for (ReplayMode m : modes) {
            String value = m.settings().get(key);
            if (value != null) {
                byMode.add(m.name() + " to " + (value.isEmpty() ? "the model's own" : value));
            }
        }
        if (!byMode.isEmpty()) {
            return "the mode sets it (" + String.join(", ", byMode) + ")";
        }
        if (key.equals(CanvasFlowConfig.NUM_STREAM_THREADS)) {
            return streamThreads;
        }
        if (key.equals(CanvasFlowConfig.BOOTSTRAP_SERVERS)) {
            return "--bootstrap-servers sets it (without it, an embedded broker)";
        }
        if (StreamsRun.RUN_SETTINGS.contains(key)) {
            return "each run sets its own (a fresh application id, topics and state directory)";
        }
        return null;
    }
}
