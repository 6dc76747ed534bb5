package io.canvasflow.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Where a model runs: {@code auto} picks a GPU when the engine has one, else the CPU. */
public enum DeviceChoice {
    AUTO,
    CPU,
    GPU;

    /** Parses {@code auto | cpu | gpu}, case-insensitively. */
    public static DeviceChoice parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "device must be one of auto, cpu, gpu; got '" + value + "'", e);
        }
    }

    /**
     * Resolves the choice against the installed engine.
     *
     * @throws IllegalStateException if a GPU was asked for and the engine has none
     */
    public Device resolve() {
        Engine engine = Engine.getInstance();
        return switch (this) {
            case CPU -> Device.cpu();
            case AUTO -> engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
            case GPU -> {
                if (engine.getGpuCount() == 0) {
                    throw new IllegalStateException(
                            "device=gpu was requested but the "
                                    + engine.getEngineName()
                                    + " engine sees no GPU; put a CUDA build of pytorch-native on"
                                    + " the class path (see the README) or use device=cpu");
                }
                yield Device.gpu();
            }
        };
    }
}
