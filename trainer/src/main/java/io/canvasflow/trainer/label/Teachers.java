package io.canvasflow.trainer.label;

/** Opens a teacher named the way the command line names it: {@code motion} or {@code onnx:FILE}. */
public final class Teachers {

    private Teachers() {}

    /**
     * Opens a teacher.
     *
     * @param spec {@code motion} or {@code onnx:FILE}
     * @param classNames for onnx: its class names, comma-separated
     * @param motion the motion teacher's settings
     * @throws TeacherException when the spec is unknown or the teacher cannot be loaded
     */
    public static Teacher open(String spec, String classNames, MotionTeacher.Settings motion) {
        if ("motion".equals(spec)) {
            return new MotionTeacher(motion);
        }
        throw new TeacherException("--teacher must be motion or onnx:FILE, got " + spec);
    }
}
