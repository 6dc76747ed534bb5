package io.canvasflow.clients;

import io.canvasflow.testsupport.ChildJvm;

/**
 * Reads a video to its end through {@link VideoFileSource} in a child JVM ({@link ChildJvm}), for
 * tests of what reaches the process's standard error, where FFmpeg writes natively. Prints {@code
 * read N frames, D damaged}.
 */
public final class ChildVideoRead {

    private ChildVideoRead() {}

    /**
     * Reads the video named by the one argument.
     *
     * @param args the video's path
     */
    public static void main(String[] args) {
        ChildJvm.haltWhenParentGoes();
        long frames = 0;
        long damaged;
        try (VideoFileSource source = new VideoFileSource(args[0])) {
            while (source.next().isPresent()) {
                frames++;
            }
            damaged = source.damagedFrames();
        }
        System.out.println("read " + frames + " frames, " + damaged + " damaged");
    }
}
