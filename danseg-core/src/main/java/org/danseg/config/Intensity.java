package org.danseg.config;

/**
 * Per-volume intensity normalization to z-scores ({@code data.VolumeSlices.normalize}). {@code MRI}:
 * mean and standard deviation of the non-zero voxels (the background of MRI is zero or near it).
 * {@code CT}: values clipped to the 0.5th-99.5th percentiles first (Hounsfield outliers such as
 * metal), then z-scored over all voxels.
 */
public enum Intensity {
    MRI, CT
}
