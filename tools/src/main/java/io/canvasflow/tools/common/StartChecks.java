package io.canvasflow.tools.common;

import io.canvasflow.model.ModelLoadException;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.topology.CanvasFlowConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a tool checks before it starts a broker, publishes footage or spawns a child JVM: the model
 * directories it will load and the settings it will run with. Each check takes milliseconds; found
 * later, the same mistake cost 3 to 11 seconds of startup and a screen of Kafka log lines before
 * its sentence.
 */
public final class StartChecks {

    private StartChecks() {}

    /**
     * Whether a model directory the user named holds a model whose {@code model.json} reads (the
     * parameters are checked when it loads). The shipped models, used when none is named, are the
     * installation's and are not checked here.
     *
     * @param dir the directory given, or null for the shipped one
     * @param option the option that names it, for the sentence
     * @return the problem in one sentence, or null
     */
    public static String modelProblem(Path dir, String option) {
        if (dir == null) {
            return null;
        }
        try {
            SegmentationModel.readSpec(dir);
            return null;
        } catch (ModelLoadException e) {
            return option + ": " + e.getMessage();
        }
    }

    /**
     * Whether the settings a tool runs the topology with are all known and valid.
     *
     * @param file a properties file of settings, or null
     * @param overrides the {@code -D} settings
     * @return the problem in one sentence, or null
     */
    public static String settingsProblem(Path file, Map<String, String> overrides) {
        try {
            // with the environment, as the runs read it: a bad CANVASFLOW_* variable counts too
            CanvasFlowConfig.builder()
                    .optFile(file)
                    .optEnvironment(System.getenv())
                    .opt(overrides)
                    .build();
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * A benchmark's checks: its {@code --model}, then its {@code -D} settings.
     *
     * @param model the model directory given, or null for the shipped one
     * @param overrides the {@code -D} settings
     * @return the first problem in one sentence, or null
     */
    public static String benchmarkProblem(Path model, Map<String, String> overrides) {
        String problem = modelProblem(model, "--model");
        return problem != null ? problem : settingsProblem(null, overrides);
    }
}
