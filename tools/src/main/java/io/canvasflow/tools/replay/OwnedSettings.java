package io.canvasflow.tools.replay;

import io.canvasflow.topology.CanvasFlowConfig;
import io.canvasflow.topology.SettingNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings a replayed run sets for itself: the canvas policy of its mode, its stream threads,
 * the cluster it runs against and its own ids, topics and state directory. A {@code -D} of one of
 * them would be silently overwritten, and a figure measured under settings other than the user
 * asked for; so replay and {@code bench pipeline} refuse it, in one sentence, before anything
 * starts. {@code bench soak} and {@code bench scale} refuse the keys their own runs set the same
 * way ({@link #problem(String, Map, Map)}).
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
        Map<String, String> owners = new LinkedHashMap<>(runOwners(StreamsRun.RUN_SETTINGS));
        owners.put(CanvasFlowConfig.NUM_STREAM_THREADS, streamThreads);
        owners.putAll(modeOwners(modes));
        return problem(command, overrides, owners);
    }

    /**
     * Whether the {@code -D} settings name one that the runs set themselves, for a command whose
     * runs set other keys than a replayed run's.
     *
     * @param command the command, for the sentence: {@code canvasflow bench scale}
     * @param overrides the {@code -D} settings
     * @param owners each key the runs set, with what sets it, for the sentence: {@code --threads
     *     sets it}
     * @return the problem in one sentence, or null
     */
    public static String problem(
            String command, Map<String, String> overrides, Map<String, String> owners) {
        for (String key : overrides.keySet()) {
            // as the configuration reads it: kafka.state.dir sets state.dir
            String owner = owners.get(SettingNames.unprefixed(key));
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
     * What sets the cluster and each run's own keys, for {@link #problem(String, Map, Map)}: {@code
     * bootstrap.servers} and the keys a run sets for itself.
     *
     * @param runSettings the keys each run sets for itself (its ids, topics, state directory)
     * @return each key with what sets it
     */
    public static Map<String, String> runOwners(Set<String> runSettings) {
        Map<String, String> owners = new LinkedHashMap<>();
        for (String key : runSettings) {
            owners.put(
                    key,
                    switch (key) {
                        case CanvasFlowConfig.HTTP_PORT -> "each run picks a free port of its own";
                        case CanvasFlowConfig.TOPIC_PARTITIONS ->
                                "each run gives its topics the partitions its own options say";
                        case CanvasFlowConfig.TOPICS_CREATE -> "each run creates its own topics";
                        case CanvasFlowConfig.MODELS_FOLLOW ->
                                "each run segments with the model it is given, never one the"
                                        + " cluster's model assignments name";
                        default ->
                                "each run sets its own (a fresh application id, topics and state"
                                        + " directory)";
                    });
        }
        owners.put(
                CanvasFlowConfig.BOOTSTRAP_SERVERS,
                "--bootstrap-servers sets it (without it, an embedded broker)");
        return owners;
    }

    /** The mode settings, each with the modes that set it and to what. */
    private static Map<String, String> modeOwners(List<ReplayMode> modes) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (ReplayMode m : modes) {
            for (Map.Entry<String, String> e : m.settings().entrySet()) {
                String value = e.getValue().isEmpty() ? "the model's own" : e.getValue();
                byKey.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .add(m.name() + " to " + value);
            }
        }
        Map<String, String> owners = new LinkedHashMap<>();
        byKey.forEach(
                (key, byMode) ->
                        owners.put(key, "the mode sets it (" + String.join(", ", byMode) + ")"));
        return owners;
    }
}
