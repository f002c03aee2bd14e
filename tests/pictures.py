"""Checks a person would make of an exported picture: its size, and that it is not blank."""

from pathlib import Path

import matplotlib.image as mpimg
import numpy as np


def assert_png(path: Path, size):
    img = mpimg.imread(path)
    assert img.shape[1] == size[0] and img.shape[0] == size[1]
    rgb = img[..., :3]
    assert rgb.std() > 0.05
    assert (rgb.min(axis=2) < 0.9).mean() > 0.02  # a real share of non-white pixels
    assert (np.ptp(rgb, axis=2) > 0.2).any()  # some colour, not only grey
