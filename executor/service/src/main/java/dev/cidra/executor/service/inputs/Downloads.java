package dev.cidra.executor.service.inputs;

import dev.cidra.executor.service.execution.DiskBudget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Streams a download into a new file, charging the job's disk budget as bytes arrive. */
final class Downloads {
    private Downloads() {}

    /**
     * Copies {@code in} to {@code file} (which must not exist; its parent directories are created) and returns the
     * SHA-256 of the bytes.
     *
     * @param maxBytes the most bytes accepted from this source; more fails with {@code overLimit} as the message
     * @throws DiskBudget.DiskBudgetExceededException if the budget runs out; reading stops there
     * @throws InputException with {@code overLimit} if more than {@code maxBytes} arrive; reading stops there
     */
    static byte[] copy(InputStream in, Path file, DiskBudget budget, String what, long maxBytes, String overLimit)
            throws IOException, InputException {
        Files.createDirectories(file.getParent());
        MessageDigest sha256 = sha256();
        long total = 0;
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new InputException(overLimit);
                }
                budget.take(n, what);
                sha256.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        return sha256.digest();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
