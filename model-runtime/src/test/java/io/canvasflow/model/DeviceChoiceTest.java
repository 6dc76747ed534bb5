package io.canvasflow.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

class DeviceChoiceTest {

    @Test
    void shouldRefuseGpuWhereNoneIsSeenNamingTheSettingAndTheWayToOne() {
        assumeTrue(
                Engine.getEngine("PyTorch").getGpuCount() == 0,
                "this machine has a GPU: the refusal cannot be seen here");

        IllegalStateException refused =
                assertThrows(IllegalStateException.class, DeviceChoice.GPU::resolve);

        assertEquals(
                "model.device=gpu was requested but the PyTorch engine sees no GPU; point"
                        + " PYTORCH_LIBRARY_PATH at a CUDA libtorch 2.7.1 (with"
                        + " PYTORCH_VERSION=2.7.1 and PYTORCH_FLAVOR=cu128; README: \"GPUs\") or"
                        + " use model.device=cpu",
                refused.getMessage());
        assertEquals(ai.djl.Device.cpu(), DeviceChoice.CPU.resolve());
    }
}
