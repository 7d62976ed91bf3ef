package dev.cidra.executor.service.execution;

/**
 * The bytes one job may still put on the executor's disk: its downloaded inputs plus its published result. Confined
 * to the thread that runs the job.
 */
public final class DiskBudget {
    private final long cap;
    private long used;

    public DiskBudget(long cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("disk cap must be at least 1 byte, not " + cap);
        }
        this.cap = cap;
    }

    /** Bytes left. */
    public long remaining() {
        return cap - used;
    }

    /**
     * Takes {@code bytes} from the budget.
     *
     * @throws DiskBudgetExceededException naming {@code what} and the cap, if that is more than is left; the budget is
     *     then left unchanged
     */
    public void take(long bytes, String what) {
        if (bytes > remaining()) {
            throw new DiskBudgetExceededException(
                    what + " exceeds the job's disk cap of " + cap + " bytes (inputs and result together)");
        }
        used += bytes;
    }

    /** Thrown when a job's inputs and result need more disk than its cap. */
    public static final class DiskBudgetExceededException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DiskBudgetExceededException(String message) {
            super(message);
        }
    }
}
