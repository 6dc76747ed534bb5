package io.canvasflow.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a model runs: {@code auto} picks a GPU when the engine has one, else the CPU, and says so
 * once per process in one line.
 */
public enum DeviceChoice {
    AUTO,
    CPU,
    GPU;

    /**
     * DJL's logger that warns "Failed to detect GPU count" every time the engine looks for a GPU on
     * a machine without a usable one (twice per start). The launchers keep it at ERROR; {@link
     * #resolve()} says instead, once, that the model runs on the CPU.
     */
    public static final String DJL_GPU_PROBE_LOGGER = "ai.djl.util.cuda.CudaUtils";

    private static final Logger LOG = LoggerFactory.getLogger(DeviceChoice.class);
    private static final AtomicBoolean CPU_SAID = new AtomicBoolean();

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
        Engine engine = EngineDefaults.engine();
        return switch (this) {
            case CPU -> Device.cpu();
            case AUTO -> {
                if (engine.getGpuCount() > 0) {
                    yield Device.gpu();
                }
                if (CPU_SAID.compareAndSet(false, true)) {
                    LOG.info(cpuNotice(engine.getEngineName()));
                }
                yield Device.cpu();
            }
            case GPU -> {
                String problem = problem();
                if (problem != null) {
                    throw new IllegalStateException(problem);
                }
                yield Device.gpu();
            }
        };
    }

    /**
     * Whether the installed engine can give what this choice asks for, without loading a model:
     * serve asks at its start, before any Kafka client (the GPU overlay's models come from Kafka).
     *
     * @return null when it can, else one sentence: a GPU was asked for and the engine sees none
     */
    public String problem() {
        if (this != GPU) {
            return null; // auto falls back to the CPU, and cpu needs nothing
        }
        Engine engine = EngineDefaults.engine();
        if (engine.getGpuCount() > 0) {
            return null;
        }
        return "model.device=gpu was requested but the "
                + engine.getEngineName()
                + " engine sees no GPU; point PYTORCH_LIBRARY_PATH at a CUDA"
                + " libtorch 2.7.1 (with PYTORCH_VERSION=2.7.1 and"
                + " PYTORCH_FLAVOR=cu128; README: \"GPUs\") or use"
                + " model.device=cpu";
    }

    /**
     * The line {@code auto} logs, once, when no GPU is usable.
     *
     * @param engineName the DJL engine, for example {@code PyTorch}
     * @return the sentence
     */
    public static String cpuNotice(String engineName) {
        return "No GPU that the "
                + engineName
                + " engine can use (no CUDA device or driver); the model runs on the CPU";
    }
}
