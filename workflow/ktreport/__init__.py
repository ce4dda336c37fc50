"""ktreport: builds the KT SoftSkills Knowledge Transfer Skills Investigation Report."""

__version__ = "0.1.0"
