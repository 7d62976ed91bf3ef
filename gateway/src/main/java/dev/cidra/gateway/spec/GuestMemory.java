package dev.cidra.gateway.spec;

import dev.cidra.contract.InvocationRequest;

/** The rule for a guest's memory, however it is asked for (a query parameter, a job spec, a trigger, the default). */
public final class GuestMemory {
    private GuestMemory() {}

    /**
     * Memory in bytes ({@link Quantities#bytes}), within what a guest may have: {@link InvocationRequest#MIN_MEMORY_BYTES}
     * to {@link InvocationRequest#MAX_MEMORY_BYTES}.
     *
     * @param field names the value in the message
     * @throws IllegalArgumentException naming the field, the value and the bounds
     */
    public static long bytes(String text, String field) {
        long bytes = Quantities.bytes(text, field);
        if (bytes < InvocationRequest.MIN_MEMORY_BYTES || bytes > InvocationRequest.MAX_MEMORY_BYTES) {
            throw new IllegalArgumentException(field + " " + text + " (" + bytes + " bytes) must be between 64Ki ("
                    + InvocationRequest.MIN_MEMORY_BYTES + " bytes) and 4Gi (" + InvocationRequest.MAX_MEMORY_BYTES
                    + " bytes)");
        }
        return bytes;
    }

    /**
     * {@code cidra.invocations.default-memory}, checked as {@link #bytes}.
     *
     * @throws IllegalArgumentException if it is out of bounds
     */
    public static long defaultBytes(String text) {
        return bytes(text, "cidra.invocations.default-memory");
    }
}
