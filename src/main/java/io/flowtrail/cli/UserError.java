package io.flowtrail.cli;

/** A mistake in the command line or its input files: exit code 2, one line, no stack trace. */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }
}
