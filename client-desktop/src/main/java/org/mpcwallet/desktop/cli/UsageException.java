package org.mpcwallet.desktop.cli;

/** The command line is wrong (exit code 2). */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
