package io.canvasflow.clients;

import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.trainer.Evaluator;
import io.canvasflow.trainer.data.Split;
import io.canvasflow.trainer.data.SyntheticDataset;
import io.canvasflow.trainer.data.VideoSequence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScratchTimingTest {
    @Test
    void time() {
        Path modelDir = Path.of(System.getProperty("canvasflow.test.model"));
        try (SegmentationModel model = SegmentationModel.load(modelDir, DeviceChoice.CPU)) {
            long t = System.nanoTime();
            List<VideoSequence> scenes = new ArrayList<>();
            for (int i = 0; i < 3; i++)
                scenes.add(new SyntheticDataset().sequence(Split.TEST, i, 10, 256, 192));
            System.out.printf("gen %.1f%n", (System.nanoTime() - t) / 1e9);
            for (int b : new int[] {8, 8, 1, 30}) {
                t = System.nanoTime();
                var r = Evaluator.evaluate(model, null, scenes, 6, 2, 1, b);
                System.out.printf(
                        "batch %d: %.1f s seeded %.5f%n",
                        b, (System.nanoTime() - t) / 1e9, r.seeded().miou());
            }
            for (int m : new int[] {8}) {
                var r = Evaluator.evaluate(model, null, scenes, m, 2, 1, 8);
                System.out.printf(
                        "max %d: seeded %.5f zero6 %.5f%n", m, r.seeded().miou(), r.zeroMiou(6));
            }
        }
    }
}
