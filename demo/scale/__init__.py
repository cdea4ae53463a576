"""The ten-year dataset of `seed_scale`: its tables of weights, its rows and its generator."""
