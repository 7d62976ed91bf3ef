package dev.cidra.gateway.service;

/**
 * The outcome of a successful upload.
 *
 * @param created whether this upload stored the module; false if the bucket already held it
 */
public record UploadResult(ModuleDescription module, boolean created) {}
