package dev.cidra.contract;

/**
 * A request to run deterministically: every source of entropy the guest can read (clocks, random bytes, directory
 * order, file times, inode numbers, waiting) is a function of the inputs, so two runs of the same module on the same
 * inputs print and write the same bytes on any executor (RATIONALE.md, "What does deterministic mode cover?"). Null in
 * a request means live entropy.
 *
 * @param randomSeed the seed of the guest's random bytes; null derives it from the module's CID, the arguments and the
 *     environment
 */
public record Deterministic(Long randomSeed) {}
