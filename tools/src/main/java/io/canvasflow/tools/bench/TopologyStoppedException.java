package io.canvasflow.tools.bench;

/**
 * A benchmark's topology stopped (Kafka Streams in ERROR) before it segmented every frame: the run
 * failed while running, which is exit status 1 as for serve, not a bad setting (2).
 */
public final class TopologyStoppedException extends RuntimeException {

    /**
     * A stop, said in one sentence.
     *
     * @param sentence what stopped, how far the run got and why
     */
    public TopologyStoppedException(String sentence) {
        super(sentence);
    }
}
