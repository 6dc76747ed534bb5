package io.canvasflow.topology;

import io.canvasflow.cli.options.FileConverters;
import io.canvasflow.model.EngineThreads;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
     * folder (made here when it can be), whether another instance holds it, the models cache folder
     * when models are followed (made here too), the device the model runs on.
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
                        () ->
                                makeFolder(
                                        Path.of(config.stateDir()),
                                        CanvasFlowConfig.STATE_DIR,
                                        "--state-dir (or " + CanvasFlowConfig.STATE_DIR + ")"),
                        // Kafka Streams would log an ERROR before its refusal, after the model
                        // loaded
                        () -> StateFolderLock.problem(config),
                        // the models cache is written only by a serve that follows models
                        () ->
                                config.modelsFollow()
                                        ? FileConverters.folderProblem(
                                                config.modelsCacheDir(),
                                                CanvasFlowConfig.MODELS_CACHE_DIR)
                                        : null,
                        () ->
                                config.modelsFollow()
                                        ? makeFolder(
                                                config.modelsCacheDir(),
                                                CanvasFlowConfig.MODELS_CACHE_DIR,
                                                CanvasFlowConfig.MODELS_CACHE_DIR)
                                        : null,
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
     * Makes a folder serve writes in (the state folder, as Kafka Streams would; the models cache,
     * as the model follower would), but before any topic is made: what the check of its nearest
     * existing parent passes may still not be made (under {@code /proc}, even as root; a name too
     * long), and Kafka Streams or the follower then refused it in its own words after serve had
     * created the topics.
     *
     * @param folder the folder
     * @param setting the setting that names it, for the sentence
     * @param give what to give instead, for the sentence
     * @return one sentence, or null once it exists
     */
    static String makeFolder(Path folder, String setting, String give) {
        try {
            Files.createDirectories(folder);
            return null;
        } catch (IOException e) {
            return setting
                    + " "
                    + folder
                    + " cannot be made ("
                    + reason(e, folder)
                    + "); give "
                    + give
                    + " a folder this user can make and write in";
        }
    }

    /** The system's reason, in its words where Java keeps them, and where when not there. */
    private static String reason(IOException e, Path folder) {
        if (!(e instanceof FileSystemException fs)) {
            return String.valueOf(e.getMessage());
        }
        String reason =
                fs.getReason() != null
                        ? fs.getReason()
                        : e instanceof NoSuchFileException
                                ? "No such file or directory"
                                : e instanceof AccessDeniedException
                                        ? "Permission denied"
                                        : e.getClass().getSimpleName();
        return fs.getFile() == null || fs.getFile().equals(folder.toString())
                ? reason
                : reason + " at " + fs.getFile();
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
