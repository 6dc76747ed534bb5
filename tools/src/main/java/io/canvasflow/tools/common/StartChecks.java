package io.canvasflow.tools.common;

import io.canvasflow.clients.FrameSource;
import io.canvasflow.clients.FrameSourceException;
import io.canvasflow.clients.VideoFileSource;
import io.canvasflow.model.ModelLoadException;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.topology.CanvasFlowConfig;
import io.canvasflow.topology.FlagSettings;
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
     * Whether a model directory the user named holds a model whose {@code model.json} reads and
     * whose parameter file has the size and SHA-256 it names (whether the parameters fit the
     * network is found when it loads). The shipped models, used when none is named, are the
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
            SegmentationModel.checkFiles(dir);
            return null;
        } catch (ModelLoadException e) {
            return option + ": " + e.getMessage();
        }
    }

    /**
     * Whether {@code --model} and a {@code -D model.dir} name two models, as serve refuses them
     * ({@link FlagSettings}): the runs would measure {@code --model}'s and the user would not see
     * that the other was dropped.
     *
     * @param model the {@code --model} given, or null
     * @param overrides the {@code -D} settings
     * @return the problem in one sentence, or null
     */
    public static String modelSettingProblem(Path model, Map<String, String> overrides) {
        if (model == null) {
            return null;
        }
        try {
            new FlagSettings(overrides)
                    .put("--model " + model, CanvasFlowConfig.MODEL_DIR, model.toString());
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * Whether the video the user named opens as a video, tried once before any broker starts or any
     * frame is published: a file that is not one is a sentence now, not a stack trace in the middle
     * of the run.
     *
     * @param video the {@code --video} given, or null
     * @return the problem in one sentence, or null
     */
    public static String videoProblem(Path video) {
        if (video == null) {
            return null;
        }
        try (FrameSource probe = VideoFileSource.open(video)) {
            probe.nativeFps();
            return null;
        } catch (FrameSourceException e) {
            return "--video: " + e.getMessage();
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
        // with the environment, as the runs read it: a bad CANVASFLOW_* variable counts too
        return settingsProblem(file, overrides, System.getenv());
    }

    /**
     * A benchmark's checks: its {@code --model}, that no {@code -D model.dir} names another, then
     * its {@code -D} settings with the variables its runs read.
     *
     * @param model the model directory given, or null for the shipped one
     * @param overrides the {@code -D} settings
     * @param environment the environment the runs read their settings from: a variable they are not
     *     given is no problem of theirs
     * @return the first problem in one sentence, or null
     */
    public static String benchmarkProblem(
            Path model, Map<String, String> overrides, Map<String, String> environment) {
        String problem = modelProblem(model, "--model");
        if (problem == null) {
            problem = modelSettingProblem(model, overrides);
        }
        return problem != null ? problem : settingsProblem(null, overrides, environment);
    }

    /**
     * Whether {@code --threads} stream threads fit the frames topic: Kafka Streams gives a thread
     * whole partitions, so a thread beyond the partitions gets no frame to segment (and a number
     * such as 999 started threads that made no progress).
     *
     * @param threads the stream threads asked for
     * @param partitions the frames topic's partitions
     * @param topic the frames topic, for the sentence
     * @return the problem in one sentence, or null
     */
    public static String threadsProblem(int threads, int partitions, String topic) {
        if (threads >= 1 && threads <= partitions) {
            return null;
        }
        return "expected --threads from 1 to "
                + partitions
                + " but found "
                + threads
                + (threads < 1
                        ? ""
                        : ": a stream thread beyond the "
                                + partitions
                                + " partitions of the frames topic "
                                + topic
                                + " gets no frame to segment");
    }

    /**
     * Whether {@code --keep-topics} can keep anything: a run on its own embedded broker deletes the
     * broker's folder, topics and all, at its end (demo and replay say it alike).
     *
     * @param keepTopics whether {@code --keep-topics} was given
     * @param bootstrapServers the cluster given, or null for an embedded broker
     * @return the problem in one sentence, or null
     */
    public static String keepTopicsProblem(boolean keepTopics, String bootstrapServers) {
        return keepTopics && bootstrapServers == null
                ? "--keep-topics keeps the topics on the cluster of --bootstrap-servers; the"
                        + " embedded broker's go with it, so leave it out or give"
                        + " --bootstrap-servers"
                : null;
    }

    private static String settingsProblem(
            Path file, Map<String, String> overrides, Map<String, String> environment) {
        try {
            CanvasFlowConfig.builder()
                    .optFile(file)
                    .optEnvironment(environment)
                    .opt(overrides)
                    .build();
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
