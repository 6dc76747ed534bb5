package io.canvasflow.tools.replay;

import io.canvasflow.topology.CanvasFlowConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One way of segmenting the replayed frames, expressed only through topology settings, so that the
 * replay measures the production code path:
 *
 * <ul>
 *   <li>{@code seeded-2}: the default policy, each frame seeded with its camera's previous canvas
 *       for 2 iterations (a camera's first frame, and any reset, runs the model's own full
 *       iterations from zero: its {@code iterationsTrained}, 6 for the shipped model);
 *   <li>{@code zero-2} and {@code zero-6}: every frame a keyframe ({@code
 *       canvas.keyframe.interval=1}), so every frame starts from a zero canvas, with {@code
 *       canvas.full.iterations} 2 or 6;
 *   <li>{@code feed-forward}: the feed-forward baseline model, one pass per frame, no canvas.
 * </ul>
 *
 * @param name the short name used in ids, tables and plots
 * @param description one line for the report
 * @param feedForward whether it runs the feed-forward baseline instead of the recurrent model
 * @param settings the topology settings that make the mode
 */
public record ReplayMode(
        String name, String description, boolean feedForward, Map<String, String> settings) {

    private static final int SEEDED = CanvasFlowConfig.DEFAULT_SEEDED_ITERATIONS;
    private static final int FULL = CanvasFlowConfig.DEFAULT_FULL_ITERATIONS;

    /** No full-iteration setting: the model's own, as serve runs by default. */
    private static final int MODELS_OWN = 0;

    /** Seeded with the previous canvas, 2 iterations: what the topology does by default. */
    public static final ReplayMode SEEDED_2 =
            new ReplayMode(
                    "seeded-2",
                    "recurrent, seeded with the previous canvas, 2 iterations (first frame of a"
                            + " camera: the model's full iterations from zero)",
                    false,
                    settings(SEEDED, MODELS_OWN, 0));

    /** Every frame from a zero canvas, 2 iterations. */
    public static final ReplayMode ZERO_2 =
            new ReplayMode(
                    "zero-2",
                    "recurrent, zero canvas every frame, 2 iterations",
                    false,
                    settings(SEEDED, SEEDED, 1));

    /** Every frame from a zero canvas, 6 iterations. */
    public static final ReplayMode ZERO_6 =
            new ReplayMode(
                    "zero-6",
                    "recurrent, zero canvas every frame, 6 iterations",
                    false,
                    settings(SEEDED, FULL, 1));

    /** The feed-forward baseline: one pass per frame. */
    public static final ReplayMode FEED_FORWARD =
            new ReplayMode(
                    "feed-forward",
                    "feed-forward baseline, one pass per frame",
                    true,
                    settings(1, 1, 1));

    /** Copies the settings. */
    public ReplayMode {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /**
     * A configuration with this mode's settings on top.
     *
     * @param base the settings to start from
     * @return the mode's configuration
     */
    public CanvasFlowConfig applyTo(CanvasFlowConfig base) {
        CanvasFlowConfig config = base;
        for (Map.Entry<String, String> e : settings.entrySet()) {
            config = config.with(e.getKey(), e.getValue());
        }
        return config;
    }

    /** The four modes, in report order. */
    public static List<ReplayMode> standard() {
        return List.of(SEEDED_2, ZERO_2, ZERO_6, FEED_FORWARD);
    }

    /**
     * Looks a mode up by name ({@code ff} also names the feed-forward baseline).
     *
     * @param name the name
     * @return the mode
     * @throws IllegalArgumentException naming the known modes when there is none of that name
     */
    public static ReplayMode named(String name) {
        String n = name.trim();
        if (n.equals("ff")) {
            return FEED_FORWARD;
        }
        List<String> known = new ArrayList<>();
        for (ReplayMode m : standard()) {
            if (m.name.equals(n)) {
                return m;
            }
            known.add(m.name);
        }
        throw new IllegalArgumentException(
                "unknown replay mode '" + name + "': expected one of " + String.join(", ", known));
    }

    private static Map<String, String> settings(int seeded, int full, int keyframeInterval) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(CanvasFlowConfig.CANVAS_SEEDED_ITERATIONS, Integer.toString(seeded));
        s.put(
                CanvasFlowConfig.CANVAS_FULL_ITERATIONS,
                full == MODELS_OWN ? "" : Integer.toString(full));
        s.put(CanvasFlowConfig.CANVAS_KEYFRAME_INTERVAL, Integer.toString(keyframeInterval));
        return s;
    }
}
