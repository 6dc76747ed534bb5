package io.canvasflow.model;

import ai.djl.engine.Engine;

/**
 * Loads the deep-learning engine once and prints its name and version. Loading it is what makes DJL
 * copy the PyTorch native library out of the {@code pytorch-native-cpu} jar into its cache ({@code
 * ENGINE_CACHE_DIR/pytorch/<version>-cpu-<platform>/}), so a container image runs this at build
 * time and starts offline, without running a model or a benchmark.
 */
public final class EngineWarmUp {

    private EngineWarmUp() {}

    /**
     * Loads the default engine and prints {@code <name> <version>}.
     *
     * @param args none
     */
    public static void main(String[] args) {
        Engine engine = EngineDefaults.engine();
        System.out.println(engine.getEngineName() + " " + engine.getVersion());
    }
}
