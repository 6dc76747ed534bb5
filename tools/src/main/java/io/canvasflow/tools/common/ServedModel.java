package io.canvasflow.tools.common;

import io.canvasflow.model.EngineThreads;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.topology.CanvasFlowConfig;
import java.nio.file.Path;

/**
 * Loads a model that a tool then runs the topology with, under the PyTorch thread counts serve runs
 * with. {@code CanvasFlowApp.start} limits them ({@link EngineThreads#limit}), but the engine reads
 * them once, when the first model starts it: a replay or a soak that loaded its model first
 * measured PyTorch's default of a thread per core instead (a frame several times slower beside a
 * broker on two cores), and {@code start} warned that the engine runs other counts.
 */
public final class ServedModel {

    private ServedModel() {}

    /**
     * Limits PyTorch's threads as serve does for this many stream threads, then loads the model.
     *
     * @param dir the model directory
     * @param config the run's settings (the device)
     * @param streamThreads the stream threads the run will have
     * @return the model
     * @throws io.canvasflow.model.ModelLoadException with one sentence when the model is bad
     */
    public static SegmentationModel load(Path dir, CanvasFlowConfig config, int streamThreads) {
        EngineThreads.limit(streamThreads, Runtime.getRuntime().availableProcessors());
        return SegmentationModel.load(dir, config.modelDevice());
    }
}
