"""Reports of check results: JSON lines for machines, a terminal view for people."""

from .json import result_to_dict
from .terminal import render

__all__ = ["result_to_dict", "render"]
