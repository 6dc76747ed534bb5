package io.canvasflow.topology;

import io.canvasflow.cli.options.FileConverters;
import io.canvasflow.model.EngineThreads;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * What {@link CanvasFlowApp#start} (and so serve) checks of this host before it creates a topic,
 * loads a model or starts a Kafka client: found later, each cost a model load and topics created
 * first, or was blamed on the wrong thing (a folder it may not write in, or a GPU the engine does
 * not see, was found when a model from Kafka would not unpack or load, and blamed on the model).
 */
final class HostChecks {

    private HostChecks() {}

    /**
     * The first problem found, in this order: the HTTP endpoints' address and port, the state
     * folder, whether another instance holds it, the models cache folder, the device the model runs
     * on.
     *
     * @param config the settings
     * @return one sentence, or null when there is none
     */
    static String problem(CanvasFlowConfig config) {
        List<Supplier<String>> checks =
                List.of(
                        () -> OpsHttpServer.listenProblem(config.httpHost(), config.httpPort()),
                        () ->
                                FileConverters.folderProblem(
                                        Path.of(config.stateDir()), CanvasFlowConfig.STATE_DIR),
                        // Kafka Streams would log an ERROR before its refusal, after the model
                        // loaded
                        () -> StateFolderLock.problem(config),
                        () ->
                                FileConverters.folderProblem(
                                        config.modelsCacheDir(), CanvasFlowConfig.MODELS_CACHE_DIR),
                        // Last, after the thread counts: for a GPU it starts the engine, which
                        // reads them then. Found at each model's load instead, a model from Kafka
                        // was reported refused and serve waited models.wait.ms for another.
                        () -> {
                            engineThreads(config);
                            return config.modelDevice().problem();
                        });
        for (Supplier<String> check : checks) {
            String problem = check.get();
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /**
     * Sets, unless set already, DJL's system properties for PyTorch's threads ({@link
     * EngineThreads#limit}) for this JVM, for one inference per stream thread at a time.
     *
     * @param config the settings: {@value CanvasFlowConfig#NUM_STREAM_THREADS}
     * @return the intra-op threads asked of PyTorch per inference
     */
    static int engineThreads(CanvasFlowConfig config) {
        return EngineThreads.limit(
                config.numStreamThreads(), Runtime.getRuntime().availableProcessors());
    }
}
