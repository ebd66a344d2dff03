package dev.penchant.experiments.stats;

/**
 * Input the engine refuses, naming the field as a JSON path ({@code variants[1].users}) so that an
 * endpoint can answer with a problem that points at it and the command line can print it.
 */
public final class InvalidInputException extends IllegalArgumentException {

    private final String field;
    private final String problem;

    public InvalidInputException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    /** The JSON path of the offending field, e.g. {@code variants[1].users}. */
    public String field() {
        return field;
    }

    /** What is wrong with it, e.g. {@code must be >= 0}. */
    public String problem() {
        return problem;
    }

    /** The same problem one level down, e.g. under {@code days[3].}. */
    InvalidInputException under(String prefix) {
        return new InvalidInputException(prefix + field, problem);
    }
}
