/** The simulator's version: package.json's, part of the image tag. */
export const SIM_VERSION = "0.1.0";
